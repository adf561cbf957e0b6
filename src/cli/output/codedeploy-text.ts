import type { CodeDeployEvent, CodeDeployEventType, CodeDeployTaskSet } from '../../engine/codedeploy/events.js';
import type { RolloutEvent } from '../../engine/events.js';
import type { CodeDeployStatus } from '../../engine/codedeploy/status.js';
import { taskDefinitionLabel } from '../../engine/revision.js';

type CodeDeployRolloutEvent = Extract<RolloutEvent, { type: CodeDeployEventType }>;

const CODEDEPLOY_EVENT_TYPES: ReadonlySet<string> = new Set<CodeDeployEventType>([
  'codedeploy-planned', 'codedeploy-config-created', 'codedeploy-created', 'codedeploy-lifecycle', 'codedeploy-traffic', 'codedeploy-waiting',
  'codedeploy-continued', 'codedeploy-stopping',
] satisfies CodeDeployEventType[]);

export function isCodeDeployEvent(event: RolloutEvent): event is CodeDeployRolloutEvent {
  return CODEDEPLOY_EVENT_TYPES.has(event.type);
}

/** One line per event of a deployment through CodeDeploy. */
export function describeCodeDeployEvent(event: CodeDeployEvent): string {
  switch (event.type) {
    case 'codedeploy-planned': {
      const ready = event.readyWaitMinutes === undefined ? 'production shifts as soon as test traffic is on the new tasks' : `waits up to ${event.readyWaitMinutes}m with test traffic on the new tasks`;
      const notes = event.notes.length ? ` (note: ${event.notes.join('; ')})` : '';
      return `planned: CodeDeploy ${event.application}/${event.deploymentGroup} with ${event.deploymentConfig} (${event.describe}); ${ready}; the original task set is kept ${event.terminationWaitMinutes}m after the shift${notes}`;
    }
    case 'codedeploy-config-created':
      return `created CodeDeploy deployment configuration ${event.deploymentConfig} (${event.describe})`;
    case 'codedeploy-created':
      return `CodeDeploy deployment ${event.deploymentId} of ${taskDefinitionLabel(event.taskDefinitionArn)} created in ${event.application}/${event.deploymentGroup}${
        event.alarmsLeftOut.length ? `; it does not watch ${event.alarmsLeftOut.join(', ')} (in ALARM before the deploy: overrideAlarmConfiguration)` : ''}`;
    case 'codedeploy-lifecycle':
      return `lifecycle event ${event.lifecycleEvent}: ${event.status}${event.diagnostics ? ` (${event.diagnostics})` : ''}`;
    case 'codedeploy-traffic':
      return `traffic: ${event.taskSets.map(describeTaskSet).join('; ')}`;
    case 'codedeploy-waiting':
      if (event.wait === 'termination') return 'production is on the new task set; CodeDeploy keeps the original until its termination wait ends (ecs-rollout rollback until then puts traffic back at once)';
      return event.gated
        ? `test traffic is on the new tasks and production waits${event.until ? ` (CodeDeploy stops the deployment at ${event.until})` : ''}: running the gates`
        : `test traffic is on the new tasks and production waits for ecs-rollout promote or abort${event.until ? ` (CodeDeploy stops the deployment at ${event.until})` : ''}`;
    case 'codedeploy-continued':
      return event.wait === 'READY_WAIT' ? 'continued the deployment: production traffic shifts to the new tasks' : 'ended the termination wait: the original task set goes now';
    case 'codedeploy-stopping':
      return `stopping CodeDeploy deployment ${event.deploymentId}${event.rollback ? ' with rollback' : ''}: ${event.reason}`;
  }
}

function describeTaskSet(ts: CodeDeployTaskSet): string {
  const role = ts.label === 'Green' ? 'green (replacement)' : ts.label === 'Blue' ? 'blue (original)' : ts.label;
  return `${role} ${ts.running}/${ts.desired} running${ts.pending ? `, ${ts.pending} pending` : ''}, prod ${ts.trafficWeight}%`;
}

/** `status` text for a CODE_DEPLOY service: the group, its newest deployment, lifecycle events, task sets, and what resolves a wait. */
export function codeDeployStatusLines(status: CodeDeployStatus, { cluster, service }: { cluster: string; service: string }): string[] {
  const group = status.deploymentGroup ? `CodeDeploy ${status.application}/${status.deploymentGroup}` : 'CodeDeploy';
  if (status.note) return [`${group}: ${status.note}`];
  const d = status.deployment;
  if (!d) return [`${group}: no deployments yet`];
  const lines = [
    `${group}: deployment ${d.id} ${d.status}${d.taskDefinitionArn ? ` of ${taskDefinitionLabel(d.taskDefinitionArn)}` : ''}${d.deploymentConfig ? `, ${d.deploymentConfig}` : ''}${d.createdAt ? `, created ${d.createdAt}` : ''}${d.completedAt ? `, ended ${d.completedAt}` : ''}`,
  ];
  if (d.lifecycle.length) lines.push(`  lifecycle: ${d.lifecycle.map((e) => `${e.name} ${e.status}`).join(', ')}`);
  for (const ts of d.taskSets) lines.push(`  ${describeTaskSet(ts)}`);
  if (d.error) lines.push(`  reason: ${d.error}`);
  if (d.rollbackDeploymentId) lines.push(`  rolled back by deployment ${d.rollbackDeploymentId}`);
  const flags = `--cluster ${cluster} --service ${service}`;
  if (d.actions.includes('promote')) {
    lines.push(d.status === 'Ready'
      ? `  waiting with test traffic on the new tasks: run ecs-rollout promote ${flags} to shift production, or ecs-rollout abort ${flags} to roll back`
      : `  production is on the new tasks and the original waits to be terminated: ecs-rollout promote ${flags} terminates it now, ecs-rollout abort ${flags} puts traffic back`);
  } else if (d.actions.includes('abort')) {
    lines.push(`  in progress: ecs-rollout abort ${flags} stops it and rolls back`);
  }
  return lines;
}
