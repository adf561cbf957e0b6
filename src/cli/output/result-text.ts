import type { DeployResult } from '../../engine/deploy.js';
import { describeStoppedTask } from './describe.js';
import { failureDetailLines } from './failure-text.js';

/** The closing block of a text deploy: the verdict, then what explains a failure. */
export function resultLines(result: DeployResult): string[] {
  const lines: string[] = [];
  switch (result.outcome) {
    case 'succeeded':
    case 'planned':
      lines.push(result.message);
      return lines;
    case 'rolled-back':
      lines.push(`ROLLED BACK: ${result.message}`);
      break;
    case 'aborted':
      lines.push(`ABORTED: ${result.message}`);
      break;
    case 'failed':
      lines.push(`FAILED: ${result.message}`);
      break;
    case 'timed-out':
      lines.push(`TIMED OUT: ${result.message}`);
      break;
  }
  lines.push(result.serviceEvents.length ? 'service events since the deploy started:' : 'no service events since the deploy started');
  for (const e of result.serviceEvents) lines.push(`  ${e.createdAt}  ${e.message}`);
  // The alb canary follows two services and names no one deployment; its stopped tasks are listed when there are any.
  if (result.deploymentId !== undefined || result.stoppedTasks.length) {
    lines.push(result.stoppedTasks.length ? `stopped tasks${result.deploymentId ? ` of deployment ${result.deploymentId}` : ''}:` : `no stopped tasks of deployment ${result.deploymentId}`);
  }
  for (const t of result.stoppedTasks) lines.push(`  ${describeStoppedTask(t)}`);
  lines.push(...failureDetailLines(result.failureDetail));
  return lines;
}
