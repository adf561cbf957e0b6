import type { RevisionProgress, RevisionShare, RolloutEvent, StoppedTaskRecord } from '../../engine/events.js';
import { taskDefinitionLabel } from '../../engine/revision.js';
import { formatDuration } from '../../spec/duration.js';
import { describeCanaryEvent, isCanaryEvent } from './alb-canary-text.js';
import { describeCodeDeployEvent, isCodeDeployEvent } from './codedeploy-text.js';

/** One line of text per event, shared by the plain and live renderers. */
export function describeEvent(event: RolloutEvent): string {
  if (isCanaryEvent(event)) return describeCanaryEvent(event);
  if (isCodeDeployEvent(event)) return describeCodeDeployEvent(event);
  switch (event.type) {
    case 'preflight-passed':
      return `preflight ok: ${event.message}`;
    case 'preflight-failed':
      return `preflight FAILED: ${event.message}`;
    case 'revision-planned':
      return `dry run: would register a new revision of ${event.family} from ${taskDefinitionLabel(event.basedOn)}: container ${event.container} ${event.previousImage} -> ${event.image}`;
    case 'revision-registered':
      return `registered ${taskDefinitionLabel(event.taskDefinitionArn)}: container ${event.container} ${event.previousImage} -> ${event.image}`;
    case 'deployment-resumed':
      return `resuming ${event.serviceDeploymentArn.startsWith('arn:') ? 'service' : 'CodeDeploy'} deployment ${event.serviceDeploymentArn} of ${taskDefinitionLabel(event.taskDefinitionArn)} (${event.status}${event.stage ? ` at ${event.stage}` : ''}${event.startedBy ? `, started by ${event.startedBy}` : ''})`;
    case 'on-cancel':
      return event.action === 'rollback'
        ? 'on SIGINT or SIGTERM (a cancelled CI job) this deploy rolls back (--on-cancel detach leaves ECS to finish)'
        : 'on SIGINT or SIGTERM this deploy stops watching and ECS finishes the deployment (--on-cancel detach)';
    case 'lock-taken-over':
      return `warning: took over the deploy lock of ${event.holder} (since ${event.since}, deployment ${event.deploymentId})${event.expired ? ', which had expired' : ' with --force'}`;
    case 'rollback-target':
      return `rolling back from ${taskDefinitionLabel(event.from)} to ${taskDefinitionLabel(event.taskDefinitionArn)}: ${event.why}`;
    case 'rollback-requested':
      return event.message;
    case 'revision-reused':
      return `deploying ${taskDefinitionLabel(event.taskDefinitionArn)} again (nothing registered): container ${event.container} ${event.previousImage} -> ${event.image}`;
    case 'service-updated':
      return `updated service ${event.service}: deployment ${event.deploymentId} of ${taskDefinitionLabel(event.taskDefinitionArn)} started${event.desiredCount !== undefined ? ` (desired count ${event.desiredCount})` : ''}`;
    case 'deployment-progress':
      return `progress ${event.deploymentId}${event.rolloutState ? ` ${event.rolloutState}` : ''}: ${event.revisions.map(describeRevision).join('; ')}`;
    case 'service-event':
      return `ecs: ${event.message}`;
    case 'task-stopped':
      return describeStoppedTask(event);
    case 'deployment-completed':
      return `deployment ${event.deploymentId} completed: ${taskDefinitionLabel(event.taskDefinitionArn)} is running`;
    case 'deployment-failed':
      return `deployment ${event.deploymentId} FAILED: ${event.reason}`;
    case 'rollback-started':
      return `ECS is rolling back to ${taskDefinitionLabel(event.taskDefinitionArn)} (deployment ${event.rollbackDeploymentId})`;
    case 'deployment-rolled-back':
      return `rolled back: deployment ${event.rollbackDeploymentId} completed`;
    case 'deployment-timed-out':
      return `timed out after ${formatDuration(event.timeoutMs)} following deployment ${event.deploymentId}; it keeps going in ECS`;
    case 'strategy-planned':
      return `planned: ${event.settings.join('; ')}${event.notes.length ? ` (note: ${event.notes.join('; ')})` : ''}`;
    case 'stage-changed':
      return `stage ${event.stage}${event.previousStage ? ` (after ${event.previousStage})` : ''}, ${event.status}`;
    case 'service-deployment-progress':
      return `${event.status}${event.stage ? ` ${event.stage}` : ''}: ${event.revisions.map(describeShare).join('; ')}`;
    case 'hook-state':
      return `hook ${shortId(event.hookId)} (${event.targetType ?? 'hook'}) at ${event.stage ?? '-'}: ${event.status ?? '-'}${hookNote(event)}`;
    case 'bake-progress':
      return `${event.kind === 'final' ? 'bake' : 'step bake'}: about ${formatDuration(event.remainingMs)} left (ends ${event.endsAt.slice(11, 19)}); blue stays warm for an instant rollback${event.promotable ? '; ecs-rollout promote ends it now' : ''}`;
    case 'gate-started':
      if (event.kind === 'analysis') return `gate ${event.gate} (analysis) at ${event.stage}: running`;
      return `gate ${event.gate} (${event.kind}) at ${event.stage}: running, up to ${event.attempts} attempt${event.attempts > 1 ? 's' : ''}`;
    case 'gate-output':
      return `gate ${event.gate} #${event.attempt} | ${event.line}`;
    case 'gate-attempt-failed':
      return `gate ${event.gate} attempt ${event.attempt} failed: ${event.reason}${event.retryInMs !== undefined ? `; retrying in ${formatDuration(event.retryInMs)}` : ''}`;
    case 'gate-passed':
      return `gate ${event.gate} passed (attempt ${event.attempt})`;
    case 'gate-failed':
      return `gate ${event.gate} FAILED: ${event.reason}`;
    case 'hook-continued':
      return event.action === 'CONTINUE' ? `continued the deployment at ${event.stage ?? 'its hook'}` : `asked ECS to roll back at ${event.stage ?? 'its hook'}`;
    case 'service-deployment-rolling-back':
      return `ECS is rolling back: ${event.reason}`;
    case 'deployment-aborted':
      return `deployment ${event.deploymentId} ABORTED: ${event.reason}`;
    case 'analysis-started':
      return `analysis ${event.analysis} (${event.purpose}): measuring ${event.metrics.join(', ')}`;
    case 'analysis-measurement':
      return describeMeasurement(event);
    case 'analysis-finished':
      return `analysis ${event.analysis} ${event.phase === 'Successful' ? 'Successful' : event.phase.toUpperCase()}: ${event.summary}${event.phase === 'Successful' ? '' : ` (onFailure: ${event.onFailure})`}`;
    case 'analysis-failure-reported':
      return `warning: analysis ${event.analysis} ended ${event.phase}; continuing because its onFailure is report: ${event.summary}`;
    case 'analysis-waiting-for-operator':
      return `analysis ${event.analysis} ended ${event.phase}; the deployment waits${event.stage ? ` at ${event.stage}` : ''} for ecs-rollout promote or abort${event.expiresAt ? ` (ECS rolls back at ${event.expiresAt} if nobody decides)` : ''}: ${event.summary}`;
    case 'alarm-already-firing':
      return `${event.action === 'stop' ? 'alarm' : 'warning: alarm'} ${event.alarm} (analysis ${event.analysis}) was already in ALARM before the deploy${event.since ? ` (since ${event.since})` : ''}${event.reason ? `: ${event.reason}` : ''}${event.action === 'stop' ? '; stopping before any change' : '; proceeding (preexistingAlarm: proceed), it is not counted against the new version'}`;
  }
}

/** Output lines shown under a measurement in text views; JSON keeps them all. */
const MEASUREMENT_OUTPUT_LINES = 5;

function describeMeasurement(event: Extract<RolloutEvent, { type: 'analysis-measurement' }>): string {
  const value = event.value === undefined ? '' : ` = ${showValue(event.value)}${event.stable !== undefined ? ` (stable ${showValue(event.stable)})` : ''}`;
  const standing = event.metricPhase === 'Running' ? (event.nextInMs !== undefined ? `; next in ${formatDuration(event.nextInMs)}` : '') : `; metric ${event.metricPhase}`;
  const output = event.output.slice(-MEASUREMENT_OUTPUT_LINES).map((line) => `\n    | ${line}`).join('');
  return `analysis ${event.analysis} metric ${event.metric} #${event.index}${value}: ${event.phase}: ${event.message}${standing}${output}`;
}

function showValue(value: string | number | boolean): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

export function describeShare(r: RevisionShare): string {
  const weights = [
    r.productionWeight !== undefined ? `prod ${r.productionWeight}%` : undefined,
    r.testWeight !== undefined ? `test ${r.testWeight}%` : undefined,
  ].filter(Boolean);
  return `${r.role === 'target' ? 'green' : 'blue'} ${shareLabel(r)} ${r.running}/${r.requested} running, ${r.pending} pending${weights.length ? `, ${weights.join(', ')}` : ''}`;
}

/** A revision as people know it, by task definition ("web:8"); by service revision id when that is unknown. */
export function shareLabel(r: Pick<RevisionShare, 'arn' | 'taskDefinitionArn'>): string {
  return r.taskDefinitionArn ? taskDefinitionLabel(r.taskDefinitionArn) : revisionLabel(r.arn);
}

/** A service revision ARN ends in its number: "revision 7". */
export function revisionLabel(arn: string): string {
  return `revision ${arn.slice(arn.lastIndexOf('/') + 1) || '-'}`;
}

function shortId(id: string): string {
  return id.length > 12 ? id.slice(0, 12) : id;
}

function hookNote(event: Extract<RolloutEvent, { type: 'hook-state' }>): string {
  if (event.status !== 'AWAITING_ACTION') return '';
  const expiry = event.expiresAt ? `; ECS does ${event.timeoutAction ?? 'ROLLBACK'} at ${event.expiresAt}` : '';
  return event.gated ? ` (running the gates for this stage${expiry})` : ` (waiting for ecs-rollout promote or abort${expiry})`;
}

export function describeRevision(r: RevisionProgress): string {
  const health = r.healthy === undefined ? '' : `, ${r.healthy} healthy`;
  const failed = r.failed > 0 ? `, ${r.failed} failed` : '';
  return `${taskDefinitionLabel(r.taskDefinitionArn)} ${r.status} ${r.running}/${r.desired} running, ${r.pending} pending${health}${failed}`;
}

export function describeStoppedTask(task: StoppedTaskRecord): string {
  const id = task.taskArn.slice(task.taskArn.lastIndexOf('/') + 1);
  const exits = task.containers
    .filter((c) => c.exitCode !== undefined || c.reason !== undefined)
    .map((c) => [c.name, c.exitCode !== undefined ? `exit ${c.exitCode}` : undefined, c.reason ? `(${c.reason})` : undefined].filter(Boolean).join(' '));
  return `task ${id} (${taskDefinitionLabel(task.taskDefinitionArn)}) stopped: ${task.stopCode ?? 'no stop code'}: ${task.stoppedReason ?? 'no reason given'}${exits.length ? `; ${exits.join(', ')}` : ''}`;
}
