import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import { doing, RolloutError } from '../spec/errors.js';
import type { Ports } from './ports.js';
import { bakeOf, isOngoing, snapshotOf } from './strategies/native-observation.js';
import { abortCodeDeploy, promoteCodeDeploy, type CodeDeployOperatorResult } from './codedeploy/operator.js';

/**
 * What an operator can do to a deployment someone else is following:
 * promote (answer waiting PAUSE hooks with CONTINUE) and abort
 * (StopServiceDeployment ROLLBACK). Both find the deployment from what ECS
 * shows, never from the deploying process.
 */
export interface OperatorRequest {
  cluster: string;
  service: string;
  /** strategy.codeDeploy of the settings file: which deployment group, for a CODE_DEPLOY service with several. */
  codeDeploy?: { application?: string | undefined; deploymentGroup?: string | undefined } | undefined;
}

export interface PromoteResult {
  /** continued: at least one hook answered; nothing-to-continue: nothing ECS lets us skip now. */
  outcome: 'continued' | 'nothing-to-continue';
  serviceDeploymentArn: string;
  status: string;
  stage: string | undefined;
  continuedHookIds: string[];
  /** When the deployment is baking: which bake, and how long ECS was told to bake. */
  bake: { kind: 'step' | 'final'; minutes: number } | undefined;
  message: string;
}

export interface AbortResult {
  outcome: 'rollback-requested' | 'already-stopping';
  serviceDeploymentArn: string;
  /** Status before our request. */
  status: string;
  stage: string | undefined;
  message: string;
}

export async function promoteDeployment(ports: Ports, request: OperatorRequest, signal?: AbortSignal): Promise<PromoteResult | CodeDeployOperatorResult> {
  const codeDeploy = await codeDeployOf(ports, request, signal);
  if (codeDeploy) return promoteCodeDeploy(codeDeploy, request, signal);
  return promoteServiceDeployment(ports, request, signal);
}

/** ContinueServiceDeployment CONTINUE on every PAUSE hook of the service's ECS deployment in progress that awaits action. */
export async function promoteServiceDeployment(ports: Ports, request: OperatorRequest, signal?: AbortSignal): Promise<PromoteResult> {
  const sd = await findOngoing(ports, request, 'promote', signal);
  const arn = sd.serviceDeploymentArn ?? '';
  const snap = snapshotOf(sd);
  const waiting = snap.hooks.filter((h) => h.status === 'AWAITING_ACTION');
  const continued: string[] = [];
  for (const hook of waiting) {
    await doing(`continue service deployment ${arn} at hook ${hook.hookId}`, () => ports.ecs.continueServiceDeployment(arn, hook.hookId, 'CONTINUE', signal));
    continued.push(hook.hookId);
  }
  const window = bakeOf(snap);
  const bake = window ? { kind: window.kind, minutes: window.durationMs / 60_000 } : undefined;
  const base = { serviceDeploymentArn: arn, status: snap.status, stage: snap.stage, continuedHookIds: continued, bake };
  if (continued.length) {
    const endedBake = window?.hookId !== undefined && continued.includes(window.hookId) ? `; the bake (${bake?.minutes}m) ended early` : '';
    return { ...base, outcome: 'continued', message: `continued service deployment ${arn} at ${snap.stage ?? 'its current stage'} (${continued.length} PAUSE hook${continued.length > 1 ? 's' : ''} answered CONTINUE)${endedBake}` };
  }
  if (bake) {
    const which = bake.kind === 'final' ? `the final bake (bakeTimeInMinutes ${bake.minutes})` : `a step bake (${bake.minutes}m per step)`;
    return {
      ...base,
      outcome: 'nothing-to-continue',
      message:
        `service deployment ${arn} is in ${which}. ECS has no API to end a bake early: ContinueServiceDeployment only answers PAUSE hooks, ` +
        `so the bake runs out on its own and nothing was changed. To stop now and go back to the previous revision, run ecs-rollout abort; ` +
        `to be able to end the final bake early next time, set strategy.promotableBake: true (the bake becomes a PAUSE hook that promote answers); step bakes (canary.bake / linear.stepBake) can only be made shorter.`,
    };
  }
  return {
    ...base,
    outcome: 'nothing-to-continue',
    message: `service deployment ${arn} is ${snap.status}${snap.stage ? ` at ${snap.stage}` : ''} with no PAUSE hook awaiting action; nothing to continue, nothing was changed`,
  };
}

export async function abortDeployment(ports: Ports, request: OperatorRequest, signal?: AbortSignal): Promise<AbortResult | CodeDeployOperatorResult> {
  const codeDeploy = await codeDeployOf(ports, request, signal);
  if (codeDeploy) return abortCodeDeploy(codeDeploy, request, signal);
  return abortServiceDeployment(ports, request, signal);
}

/** StopServiceDeployment ROLLBACK on the service's ECS deployment in progress. */
export async function abortServiceDeployment(ports: Ports, request: OperatorRequest, signal?: AbortSignal): Promise<AbortResult> {
  const sd = await findOngoing(ports, request, 'abort', signal);
  const arn = sd.serviceDeploymentArn ?? '';
  const status = sd.status ?? 'UNKNOWN';
  const base = { serviceDeploymentArn: arn, status, stage: sd.lifecycleStage };
  if (status !== 'PENDING' && status !== 'IN_PROGRESS') {
    return { ...base, outcome: 'already-stopping', message: `service deployment ${arn} is already ${status}; nothing more to do` };
  }
  await doing(`stop service deployment ${arn}`, () => ports.ecs.stopServiceDeployment(arn, 'ROLLBACK', signal));
  return {
    ...base,
    outcome: 'rollback-requested',
    message: `asked ECS to roll back service deployment ${arn} (was ${status}${sd.lifecycleStage ? ` at ${sd.lifecycleStage}` : ''}); production traffic goes back to the previous revision`,
  };
}

/**
 * After a cancelled deploy: the service's deployment in progress rolled back
 * (StopServiceDeployment ROLLBACK), or a sentence saying there was none.
 */
export async function rollBackInProgress(ports: Ports, request: OperatorRequest, signal?: AbortSignal): Promise<string> {
  try {
    return (await abortDeployment(ports, request, signal)).message;
  } catch (err) {
    if (err instanceof RolloutError && err.code === 'InvalidArguments') return `no deployment of service ${request.service} was in progress, so nothing was rolled back`;
    throw err;
  }
}

/** The CodeDeploy port when the service is deployed by CodeDeploy (CODE_DEPLOY controller); undefined for ECS's own deployments. */
async function codeDeployOf(ports: Ports, request: OperatorRequest, signal: AbortSignal | undefined) {
  const service = await doing(`describe service ${request.service} in cluster ${request.cluster}`, () => ports.ecs.findService(request.cluster, request.service, signal));
  if (service?.deploymentController?.type !== 'CODE_DEPLOY') return undefined;
  if (!ports.codeDeploy) throw new RolloutError('AwsRequestFailed', `service ${request.service} is deployed by CodeDeploy, and this endpoint has no CodeDeploy`);
  return ports.codeDeploy;
}

/** The service's newest pending or ongoing service deployment, described. */
async function findOngoing(ports: Ports, request: OperatorRequest, verb: string, signal: AbortSignal | undefined): Promise<ServiceDeployment> {
  const { cluster, service } = request;
  const briefs = await doing(`list service deployments of service ${service} in cluster ${cluster}`, () => ports.ecs.listServiceDeployments(cluster, service, signal));
  if (briefs === undefined) {
    throw new RolloutError('AwsRequestFailed', `cannot ${verb}: the endpoint does not offer ListServiceDeployments for service ${service} in cluster ${cluster}`);
  }
  const ongoing = briefs.find((b) => isOngoing(b.status));
  if (!ongoing?.serviceDeploymentArn) {
    const last = briefs[0];
    throw new RolloutError('InvalidArguments', `nothing to ${verb}: service ${service} in cluster ${cluster} has no deployment in progress${last ? ` (the latest is ${last.status ?? 'UNKNOWN'})` : ''}`);
  }
  const arn = ongoing.serviceDeploymentArn;
  const sd = await doing(`describe service deployment ${arn}`, () => ports.ecs.readServiceDeployment(cluster, arn, signal));
  if (!sd) throw new RolloutError('AwsRequestFailed', `cannot ${verb}: service deployment ${arn} is not described by the endpoint`);
  return sd;
}
