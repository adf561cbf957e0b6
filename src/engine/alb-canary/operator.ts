import type { Service } from '@aws-sdk/client-ecs';
import type { TrafficRoute } from '../../spec/alb-canary.js';
import { doing, RolloutError } from '../../spec/errors.js';
import type { Clock } from '../clock.js';
import type { EventBody } from '../events.js';
import type { AlbCanaryPorts } from '../ports.js';
import type { CanaryContext } from './context.js';
import { isLive } from './decisions.js';
import { readSplit, routedTargetGroup, routeLabel, type Split } from './route.js';
import { revertToStable } from './revert.js';
import { canarySummary, livenessNote, timeOfDay } from './summary.js';
import { encodeAbort, encodePromote, readRecord, TAG, tagValue, type CanaryRecord, type CanaryState } from './state-tag.js';

/**
 * status, promote and abort for the tool's own canary (executor alb). They
 * find it from the tags in AWS, never from the deploying process, so they
 * work from any terminal, and abort works when no deploy runs at all.
 */

export interface FoundCanary {
  cluster: string;
  stable: Service;
  canary: Service;
  state: CanaryState;
  record: CanaryRecord;
  route: TrafficRoute;
}

/**
 * The canary recorded for `service`: the service itself when it is the
 * canary, else the canary its ecs-rollout:canary-service tag names, else
 * `configuredCanary` (strategy.alb.canaryService). Undefined when none
 * records a canary under way.
 */
export async function findAlbCanary(
  ports: AlbCanaryPorts,
  target: { cluster: string; service: string },
  configuredCanary: string | undefined,
  signal?: AbortSignal,
): Promise<FoundCanary | undefined> {
  const { cluster } = target;
  return doing(`look for a canary of service ${target.service} in cluster ${cluster}`, async () => {
    const named = await ports.ecs.findService(cluster, target.service, signal);
    if (!named?.serviceArn) return undefined;
    const ownTags = await ports.services.readTags(named.serviceArn, signal);
    let canary: Service | undefined = named;
    let record = readRecord(ownTags);
    if (!record.state) {
      const canaryName = tagValue(ownTags, TAG.canaryService) ?? configuredCanary;
      if (!canaryName || canaryName === target.service) return undefined;
      canary = await ports.ecs.findService(cluster, canaryName, signal);
      if (!canary?.serviceArn) return undefined;
      record = readRecord(await ports.services.readTags(canary.serviceArn, signal));
    }
    const state = record.state;
    if (!state || !record.route) return undefined;
    const stable = state.stableService === named.serviceName ? named : await ports.ecs.findService(cluster, state.stableService, signal);
    if (!stable) throw new RolloutError('AwsRequestFailed', `service ${canary.serviceName} records a canary of service ${state.stableService}, which does not exist in cluster ${cluster}`);
    return { cluster, stable, canary, state, record, route: record.route };
  });
}

export interface CanaryStatus {
  stableService: string;
  canaryService: string;
  /** The words: "canary of web on web-canary at step 3/7, weight 25%, waiting for promote". */
  summary: string;
  /** Whether a deploy is driving it, and what to do when none is. */
  liveness: string;
  live: boolean;
  state: CanaryState;
  route: string;
  /** The route's weights as the load balancer shows them now. */
  weights: { stable: number; canary: number } | { problem: string };
  canaryTasks: { running: number; desired: number };
}

export async function getCanaryStatus(ports: AlbCanaryPorts, found: FoundCanary, now: number, signal?: AbortSignal): Promise<CanaryStatus> {
  const reading = await readRouteSplit(ports, found, signal);
  const weights = 'problem' in reading ? reading : { stable: reading.stableWeight, canary: reading.canaryWeight };
  return {
    stableService: found.stable.serviceName ?? '',
    canaryService: found.canary.serviceName ?? '',
    summary: canarySummary(found.state, found.canary.serviceName ?? '', 'problem' in reading ? undefined : reading.canaryPercent),
    liveness: livenessNote(found.state, now),
    live: isLive(found.state, now),
    state: found.state,
    route: found.route.arn,
    weights,
    canaryTasks: { running: found.canary.runningCount ?? 0, desired: found.canary.desiredCount ?? 0 },
  };
}

export interface CanaryPromoteResult {
  outcome: 'promoted' | 'recorded-no-deploy-running' | 'nothing-to-promote';
  step: number;
  message: string;
}

/**
 * Passes the step the canary waits at (a manual gate, or a timed pause,
 * which promote ends early) by recording ecs-rollout:canary-promote; the
 * running deploy sees it at its next poll. With no deploy running, the
 * promote is recorded all the same and the user is told to rerun the deploy,
 * which resumes and passes that step.
 */
export async function promoteCanary(ports: AlbCanaryPorts, found: FoundCanary, who: string, now: number, signal?: AbortSignal): Promise<CanaryPromoteResult> {
  const { state } = found;
  const words = canarySummary(state, found.canary.serviceName ?? '', undefined);
  const waits = state.phase === 'step' && (state.waiting === 'promote' || state.waiting === 'pause');
  if (!waits) {
    return { outcome: 'nothing-to-promote', step: state.step, message: `${words}: promote passes a pause or a manual gate, and the canary waits at neither; nothing was changed` };
  }
  await doing(`record promote on service ${found.canary.serviceName}`, () =>
    ports.services.writeTags(found.canary.serviceArn ?? '', [{ key: TAG.promote, value: encodePromote({ run: state.run, step: state.step, at: now, by: who }) }], signal),
  );
  if (isLive(state, now)) {
    const next = state.step < state.totalSteps ? `step ${state.step + 1}/${state.totalSteps}` : `promote service ${state.stableService}`;
    return { outcome: 'promoted', step: state.step, message: `promoted the ${words}; the running deploy goes on to ${next}` };
  }
  return {
    outcome: 'recorded-no-deploy-running',
    step: state.step,
    message: `recorded promote of step ${state.step}/${state.totalSteps}, but ${livenessNote(state, now).replace(/, or run ecs-rollout abort to revert$/, '')}; the resumed deploy passes this step`,
  };
}

export interface CanaryAbortResult {
  outcome: 'reverted';
  step: number;
  message: string;
}

/**
 * Reverts the canary from anywhere: records ecs-rollout:canary-abort (a
 * running deploy sees it and stops with exit 6), sends all traffic to stable
 * in one write and confirms it on the load balancer, then scales the canary
 * to zero, puts the stable back on its previous revision if a promotion had
 * begun, and clears the canary's state.
 */
export async function abortCanary(
  ports: AlbCanaryPorts,
  found: FoundCanary,
  options: { who: string; clock: Clock; pollIntervalMs: number; timeoutMs: number; emit?: (event: EventBody) => void },
  signal?: AbortSignal,
): Promise<CanaryAbortResult> {
  const { state, route, cluster } = found;
  const canaryName = found.canary.serviceName ?? '';
  const stableName = found.stable.serviceName ?? '';
  const words = canarySummary(state, canaryName, undefined);
  const was = isLive(state, options.clock.now());
  const canaryArn = found.canary.serviceArn ?? '';
  await doing(`record abort on service ${canaryName}`, () =>
    ports.services.writeTags(canaryArn, [{ key: TAG.abort, value: encodeAbort({ run: state.run, at: options.clock.now(), by: options.who }) }], signal),
  );
  const actions = await doing(`read ${routeLabel(route)}`, () => ports.loadBalancers.readRouteActions(route, signal));
  if (!actions) throw new RolloutError('AwsRequestFailed', `cannot abort: ${routeLabel(route)} recorded by the canary no longer exists`);
  const stableTg = routedTargetGroup(found.stable.loadBalancers ?? [], actions.actions);
  const canaryTg = routedTargetGroup(found.canary.loadBalancers ?? [], actions.actions);
  if (!stableTg || !canaryTg) throw new RolloutError('AwsRequestFailed', `cannot abort: ${routeLabel(route)} no longer forwards to the target groups of ${stableName} and ${canaryName}`);
  const ctx: CanaryContext = {
    ports,
    clock: options.clock,
    signal,
    emit: options.emit ?? (() => undefined),
    pollIntervalMs: options.pollIntervalMs,
    timeoutMs: options.timeoutMs,
    // An abort only reverts: it has no step durations to count.
    stepSpeed: 1,
    cluster,
    stable: { name: stableName, arn: found.stable.serviceArn ?? '', targetGroupArn: stableTg },
    canary: { name: canaryName, arn: canaryArn, targetGroupArn: canaryTg },
    route,
    who: options.who,
  };
  const family = state.taskDefinition.slice(0, state.taskDefinition.lastIndexOf(':'));
  const reverted = await doing(`revert the canary of service ${stableName}`, () =>
    revertToStable(ctx, { revisions: { canary: state.taskDefinition, previousStable: `${family}:${state.previousRevision}` }, keepAbortMarker: true }),
  );
  const stableOn = reverted.stableRestoredTo ? `, which goes back to ${family}:${state.previousRevision}` : '';
  return {
    outcome: 'reverted',
    step: state.step,
    message: `aborted the ${words}: all traffic is back on ${stableName}${stableOn} (stable 100 / canary 0, confirmed on the load balancer) and ${canaryName} is scaled to 0${was ? `; the deploy running it (last heard ${timeOfDay(state.updatedAt)}) stops with exit code 6` : ''}`,
  };
}

async function readRouteSplit(ports: AlbCanaryPorts, found: FoundCanary, signal: AbortSignal | undefined): Promise<Split | { problem: string }> {
  const actions = await doing(`read ${routeLabel(found.route)}`, () => ports.loadBalancers.readRouteActions(found.route, signal));
  if (!actions) return { problem: `${routeLabel(found.route)} does not exist` };
  const stableTg = routedTargetGroup(found.stable.loadBalancers ?? [], actions.actions);
  const canaryTg = routedTargetGroup(found.canary.loadBalancers ?? [], actions.actions);
  if (!stableTg || !canaryTg) return { problem: `${routeLabel(found.route)} does not forward to both services' target groups` };
  const reading = readSplit(actions.actions, stableTg, canaryTg);
  return reading.ok ? reading.split : { problem: reading.problem };
}
