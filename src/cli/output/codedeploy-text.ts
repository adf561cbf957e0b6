import type { CodeDeployEvent, CodeDeployEventType, CodeDeployTaskSet } from '../../engine/codedeploy/events.js';
import type { RolloutEvent } from '../../engine/events.js';
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
      return `CodeDeploy deployment ${event.deploymentId} of ${taskDefinitionLabel(event.taskDefinitionArn)} created in ${event.application}/${event.deploymentGroup}`;
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
