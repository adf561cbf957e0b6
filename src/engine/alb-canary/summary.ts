import { isLive } from './decisions.js';
import type { CanaryState } from './state-tag.js';

/** Clock time of day in UTC, as status prints it: 12:03:04. */
export function timeOfDay(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/**
 * The canary's state in words, e.g. "canary of web at step 3/7, weight 25%,
 * waiting for promote". `weight` is what the load balancer shows now, when
 * it was read; else the weight last recorded.
 */
export function canarySummary(state: CanaryState, canaryService: string, weight: number | undefined): string {
  const w = weight ?? state.weight;
  const head = `canary of ${state.stableService} on ${canaryService}`;
  const at = `step ${state.step}/${state.totalSteps}`;
  switch (state.phase) {
    case 'starting':
      return `${head} starting: ${canaryService} is taking ${state.taskDefinition}; weight ${w}%`;
    case 'step': {
      const doing =
        state.waiting === 'promote' ? ', waiting for promote'
          : state.waiting === 'pause' ? `, pausing${state.until !== undefined ? ` until ${timeOfDay(state.until)}` : ''}`
            : state.waiting === 'analysis' ? ', running an analysis'
              : '';
      return `${head} at ${at}, weight ${w}%${doing}`;
    }
    case 'promoting':
      return `${head} promoting after ${at}: ${state.stableService} is taking ${state.taskDefinition}; canary weight ${w}% until it is done`;
    case 'finishing':
      return `${head} finishing: traffic going back to ${state.stableService} (now on ${state.taskDefinition}), canary scaling down; weight ${w}%`;
    case 'rolling-back':
      return `${head} rolling back from ${at}: traffic going back to ${state.stableService}, canary scaling down; weight ${w}%`;
  }
}

/** Whether a deploy is driving the canary now, and what to do if not. */
export function livenessNote(state: CanaryState, now: number): string {
  const started = state.by ? ` started by ${state.by}` : '';
  if (isLive(state, now)) return `an ecs-rollout deploy${started} is running it (last heard ${timeOfDay(state.updatedAt)})`;
  return `no ecs-rollout deploy has reported since ${timeOfDay(state.updatedAt)}${started ? ` (it was${started})` : ''}: rerun the same deploy to resume from step ${Math.max(1, state.step)}, or run ecs-rollout abort to revert`;
}
