import type { AlbCanaryEvent, AlbCanaryEventType } from '../../engine/alb-canary/events.js';
import type { CanaryStatus } from '../../engine/alb-canary/operator.js';
import type { RolloutEvent } from '../../engine/events.js';
import { taskDefinitionLabel } from '../../engine/revision.js';
import { formatDuration } from '../../spec/duration.js';

type CanaryRolloutEvent = Extract<RolloutEvent, { type: AlbCanaryEventType }>;

const CANARY_EVENT_TYPES: ReadonlySet<string> = new Set<AlbCanaryEventType>([
  'canary-planned', 'canary-resumed', 'canary-scaling', 'canary-healthy', 'step-started', 'step-finished', 'weights-changed', 'pause-started',
  'waiting-for-promote', 'promote-received', 'canary-warning', 'promoting', 'promoted', 'canary-scaled-down', 'rolling-back', 'rolled-back',
] satisfies AlbCanaryEventType[]);

export function isCanaryEvent(event: RolloutEvent): event is CanaryRolloutEvent {
  return CANARY_EVENT_TYPES.has(event.type);
}

/** One line per event of the tool's own canary (executor alb). */
export function describeCanaryEvent(event: AlbCanaryEvent): string {
  switch (event.type) {
    case 'canary-planned':
      return `planned: canary on ${event.canaryService} (${event.canaryCount} task${event.canaryCount === 1 ? '' : 's'}) beside ${event.stableService}; steps: ${event.steps.join(', ')}${event.notes.length ? ` (note: ${event.notes.join('; ')})` : ''}`;
    case 'canary-resumed':
      return `resuming the canary started ${event.startedAt} ${event.phase === 'step' ? 'at' : `(${event.phase}) after`} step ${event.step}/${event.totalSteps}, canary weight ${event.weight}%`;
    case 'canary-scaling':
      return `canary service ${event.service} takes ${taskDefinitionLabel(event.taskDefinitionArn)} on ${event.desiredCount} task${event.desiredCount === 1 ? '' : 's'}`;
    case 'canary-healthy':
      return `canary healthy: ${event.healthy}/${event.desired} targets healthy in the canary target group`;
    case 'step-started':
      return `step ${event.step}/${event.totalSteps}: ${event.description}`;
    case 'step-finished':
      return `step ${event.step}/${event.totalSteps} done`;
    case 'weights-changed':
      return `weights: stable ${event.stable} / canary ${event.canary}${event.confirmed ? ' (confirmed on the load balancer)' : ''}`;
    case 'pause-started':
      return `pausing ${formatDuration(event.durationMs)}, until ${event.until.slice(11, 19)} (ecs-rollout promote ends it early)`;
    case 'waiting-for-promote':
      return `waiting at step ${event.step}/${event.totalSteps} for ecs-rollout promote (or abort): ${event.reason}`;
    case 'promote-received':
      return `promoted at step ${event.step}${event.by ? ` by ${event.by}` : ''}`;
    case 'canary-warning':
      return `warning: ${event.message}`;
    case 'promoting':
      return `promoting: service ${event.service} takes ${taskDefinitionLabel(event.taskDefinitionArn)}${event.deploymentId ? ` (deployment ${event.deploymentId})` : ''}; the canary keeps its share until it is done`;
    case 'promoted':
      return `service ${event.service} runs ${taskDefinitionLabel(event.taskDefinitionArn)} on ${event.healthy} healthy task${event.healthy === 1 ? '' : 's'}`;
    case 'canary-scaled-down':
      return `canary service ${event.service} scaled to 0`;
    case 'rolling-back':
      return `${event.aborted ? 'ABORTING' : 'ROLLING BACK'}: ${event.reason}; all traffic goes back to stable`;
    case 'rolled-back':
      return `${event.aborted ? 'aborted' : 'rolled back'}: weights stable ${event.stable} / canary ${event.canary} confirmed, canary scaled to 0`;
  }
}

/** `status` text for a canary under way, above the service's own status. */
export function canaryStatusLines(status: CanaryStatus, target: { cluster: string; service: string }): string[] {
  const { state } = status;
  const flags = `--cluster ${target.cluster} --service ${target.service}`;
  const weights = 'problem' in status.weights ? `cannot read the weights: ${status.weights.problem}` : `stable ${status.weights.stable} / canary ${status.weights.canary}`;
  const lines = [
    status.summary,
    `  weights on the load balancer: ${weights} (${status.route})`,
    `  canary service ${status.canaryService}: ${status.canaryTasks.running}/${status.canaryTasks.desired} tasks running ${state.taskDefinition}`,
    `  ${status.liveness}`,
  ];
  const waits = state.phase === 'step' && (state.waiting === 'promote' || state.waiting === 'pause');
  lines.push(`  ${waits ? `ecs-rollout promote ${flags} passes this step; ` : ''}ecs-rollout abort ${flags} reverts it (all traffic to ${status.stableService}, canary to 0)`);
  return lines;
}

/** What the live view keeps of a canary: one line redrawn in place. */
export interface CanaryView {
  step: string;
  weights: string;
  doing: string;
}

export const NO_CANARY_VIEW: CanaryView = { step: '', weights: '', doing: '' };

/** The canary's live line after this event. */
export function nextCanaryView(view: CanaryView, event: AlbCanaryEvent): CanaryView {
  switch (event.type) {
    case 'canary-planned':
      return { ...view, step: `canary on ${event.canaryService}`, weights: 'stable 100 / canary 0', doing: 'starting' };
    case 'canary-resumed':
      return { ...view, step: `step ${event.step}/${event.totalSteps}`, weights: `stable ${100 - event.weight} / canary ${event.weight}`, doing: 'resuming' };
    case 'canary-scaling':
      return { ...view, doing: `${event.service} taking ${taskDefinitionLabel(event.taskDefinitionArn)}` };
    case 'step-started':
      return { ...view, step: `step ${event.step}/${event.totalSteps}`, doing: event.description };
    case 'weights-changed':
      return { ...view, weights: `stable ${event.stable} / canary ${event.canary}` };
    case 'pause-started':
      return { ...view, doing: `pausing until ${event.until.slice(11, 19)}` };
    case 'waiting-for-promote':
      return { ...view, doing: 'waiting for ecs-rollout promote' };
    case 'promoting':
      return { ...view, doing: `${event.service} taking ${taskDefinitionLabel(event.taskDefinitionArn)}` };
    case 'rolling-back':
      return { ...view, doing: event.aborted ? 'aborting' : 'rolling back' };
    case 'rolled-back':
    case 'canary-scaled-down':
      return { ...view, doing: 'done' };
    default:
      return view;
  }
}

export function canaryViewLine(view: CanaryView): string | undefined {
  if (!view.step) return undefined;
  return `${view.step}  ${view.weights}  ${view.doing}`;
}
