import type { Service, TaskDefinition } from '@aws-sdk/client-ecs';
import type { AnalysisRunner } from '../../analysis/contract.js';
import type { AlbCanarySettings } from '../../spec/alb-canary.js';
import { RolloutError } from '../../spec/errors.js';
import type { EventBody } from '../events.js';
import type { AlbCanaryPorts } from '../ports.js';
import { taskDefinitionLabel } from '../revision.js';
import type { ServiceRef } from './context.js';
import { canaryCountFor, decideStart, healthyCount, type StartDecision } from './decisions.js';
import { readSplit, routedTargetGroup, routeLabel, targetGroupName, type Split } from './route.js';
import { encodeState, MAX_TAG_VALUE, readRecord, type CanaryRecord } from './state-tag.js';

export interface CanaryPreflightRequest {
  cluster: string;
  /** The stable service as the deploy's own preflight found it. */
  stableService: Service;
  /** The stable's task definition (the new revision is based on it). */
  taskDefinition: TaskDefinition;
  container: string;
  /** The image the deploy asks for. */
  image: string;
  settings: AlbCanarySettings;
  analysis: AnalysisRunner | undefined;
}

export interface CanaryPreflight {
  stable: ServiceRef & { desired: number };
  canary: ServiceRef & { desired: number; taskDefinitionArn: string | undefined; eventIds: string[] };
  split: Split;
  record: CanaryRecord;
  start: StartDecision;
  canaryCount: number;
}

/**
 * Everything the tool's canary needs before it changes anything: the canary
 * service, the route forwarding to exactly the two services' target groups,
 * weights all on stable (unless a recorded canary resumes), the analyses the
 * steps name. The first miss throws PreflightFailed naming the resource and
 * the fix; nothing has been changed then.
 */
export async function runCanaryPreflight(
  ports: AlbCanaryPorts,
  request: CanaryPreflightRequest,
  emit: (event: EventBody) => void,
  signal?: AbortSignal,
): Promise<CanaryPreflight> {
  const pass = (message: string): void => emit({ type: 'preflight-passed', check: 'strategy', message });
  const fail = (message: string): never => {
    emit({ type: 'preflight-failed', check: 'strategy', message });
    throw new RolloutError('PreflightFailed', `preflight failed: ${message}`);
  };
  const { cluster, settings, stableService } = request;
  const stableName = stableService.serviceName ?? '';
  const canaryName = settings.canaryService;
  const routeText = routeLabel(settings.route);

  if (canaryName === stableName) fail(`strategy.alb.canaryService names the stable service ${stableName} itself; name a second service that runs the canary`);
  const canaryService = await ports.ecs.findService(cluster, canaryName, signal);
  if (!canaryService || canaryService.status !== 'ACTIVE') {
    return fail(
      `canary service ${canaryName} ${canaryService ? `is ${canaryService.status}` : 'does not exist'} in cluster ${cluster}; create it beside ${stableName} (desired count 0, registered in its own target group) or fix strategy.alb.canaryService`,
    );
  }
  if (canaryService.deploymentController?.type && canaryService.deploymentController.type !== 'ECS') {
    fail(`canary service ${canaryName} uses the ${canaryService.deploymentController.type} deployment controller; the alb executor updates it with the ECS controller`);
  }
  pass(`canary service ${canaryName} is ACTIVE with ${canaryService.desiredCount ?? 0} desired tasks`);

  const found = await ports.loadBalancers.readRouteActions(settings.route, signal);
  if (!found) {
    return fail(`${routeText} does not exist; check strategy.alb.${settings.route.kind === 'rule' ? 'listenerRule' : 'listener'} and --region`);
  }
  if (found.isDefaultRule) fail(`${routeText} is a listener's default rule, which ModifyRule cannot change; name the listener instead (strategy.alb.listener)`);
  const stableTg = routedTargetGroup(stableService.loadBalancers ?? [], found.actions);
  const canaryTg = routedTargetGroup(canaryService.loadBalancers ?? [], found.actions);
  if (!stableTg) return fail(`${routeText} does not forward to a target group of service ${stableName} (${groupsText(stableService)}); make it forward to the stable and canary target groups with weights 100 and 0`);
  if (!canaryTg) return fail(`${routeText} does not forward to a target group of canary service ${canaryName} (${groupsText(canaryService)}); make it forward to the stable and canary target groups with weights 100 and 0`);
  const reading = readSplit(found.actions, stableTg, canaryTg);
  if (!reading.ok) return fail(`${routeText}: ${reading.problem}; make it forward to those two with weights 100 and 0`);
  const split = reading.split;
  pass(`${routeText} forwards stable ${split.stableWeight} / canary ${split.canaryWeight} to ${targetGroupName(stableTg)} and ${targetGroupName(canaryTg)}`);

  const canaryArn = canaryService.serviceArn ?? '';
  const record = readRecord(await ports.services.readTags(canaryArn, signal));
  const recordedImage = record.state ? await imageOf(ports, record.state.taskDefinition, request.container, signal) : undefined;
  const start = decideStart(record, request.image, recordedImage);
  if (start.kind === 'conflict') fail(start.message);
  if (start.kind === 'fresh' && split.canaryPercent !== 0) {
    fail(`${routeText} already sends ${split.canaryPercent}% to canary target group ${targetGroupName(canaryTg)} but service ${canaryName} records no canary; set the weights back to stable 100 / canary 0 first`);
  }
  if (start.kind !== 'fresh') pass(`service ${canaryName} records a canary of ${start.state.taskDefinition} at step ${start.state.step}/${start.state.totalSteps} (${start.state.phase}): ${start.kind === 'resume' ? 'resuming it' : 'finishing its abort'}`);

  const stableHealthy = healthyCount(await ports.loadBalancers.readTargetHealth(stableTg, signal));
  if (start.kind === 'fresh' && stableHealthy === 0) fail(`stable target group ${targetGroupName(stableTg)} has no healthy targets; the canary needs a healthy stable to fall back to`);

  settings.steps.forEach((step, index) => {
    if (step.kind !== 'analysis') return;
    if (!request.analysis) fail(`step ${index + 1} runs analysis ${step.name}, but ecs-rollout.yaml has no analysis: section to define it`);
    else if (!request.analysis.has(step.name)) fail(`step ${index + 1} runs analysis ${step.name}, which the analysis: section of ecs-rollout.yaml does not define`);
  });

  const containers = new Set((request.taskDefinition.containerDefinitions ?? []).map((c) => c.name));
  for (const lb of canaryService.loadBalancers ?? []) {
    if (lb.targetGroupArn === canaryTg && lb.containerName && !containers.has(lb.containerName)) {
      fail(`canary service ${canaryName} registers container ${lb.containerName}, which ${taskDefinitionLabel(request.taskDefinition.taskDefinitionArn)} does not have; the canary runs the stable's task definition with the new image`);
    }
  }

  const stableDesired = stableService.desiredCount ?? 0;
  const canaryCount = canaryCountFor(settings.canaryCount, settings.steps, stableDesired);
  const longest = encodeState({
    run: 'zzzzzzzzz', taskDefinition: `${request.taskDefinition.family ?? ''}:99999`, previousRevision: 99999, stableService: stableName, step: 999, totalSteps: 999,
    weight: 100, phase: 'rolling-back', waiting: 'analysis', until: 0, updatedAt: 0, heartbeatMs: 30_000, by: '',
  });
  if (longest.length > MAX_TAG_VALUE) fail(`the task definition family and service names are too long to record the canary's state in one ECS tag (${MAX_TAG_VALUE} characters)`);

  return {
    stable: { name: stableName, arn: stableService.serviceArn ?? '', targetGroupArn: stableTg, desired: stableDesired },
    canary: {
      name: canaryName, arn: canaryArn, targetGroupArn: canaryTg, desired: canaryService.desiredCount ?? 0, taskDefinitionArn: canaryService.taskDefinition,
      eventIds: (canaryService.events ?? []).flatMap((e) => (e.id ? [e.id] : [])),
    },
    split,
    record,
    start,
    canaryCount,
  };
}

function groupsText(service: Service): string {
  const names = (service.loadBalancers ?? []).flatMap((lb) => (lb.targetGroupArn ? [targetGroupName(lb.targetGroupArn)] : []));
  return names.length ? `its target groups: ${names.join(', ')}` : 'it is registered in no target group';
}

async function imageOf(ports: AlbCanaryPorts, taskDefinition: string, container: string, signal: AbortSignal | undefined): Promise<string | undefined> {
  const found = await ports.ecs.readTaskDefinition(taskDefinition, signal);
  return found?.taskDefinition.containerDefinitions?.find((c) => c.name === container)?.image;
}
