import type { Writable } from 'node:stream';
import type { HookState, RevisionProgress, RevisionShare, RolloutEvent } from '../../engine/events.js';
import { taskDefinitionLabel } from '../../engine/revision.js';
import { formatDuration } from '../../spec/duration.js';
import { writeLine } from '../io.js';
import { canaryViewLine, isCanaryEvent, nextCanaryView, NO_CANARY_VIEW } from './alb-canary-text.js';
import { describeEvent, describeShare } from './describe.js';
import type { DeployRenderer } from './renderer.js';
import { resultLines } from './result-text.js';

const RECENT_EVENTS = 5;
const ERASE_BLOCK = (lines: number): string => (lines > 0 ? `\x1b[${lines}F\x1b[J` : '');

/**
 * For a person at a terminal: milestones scroll above, and a compact block
 * at the bottom (revisions with task counts, recent events) is redrawn in
 * place as the deployment moves.
 */
export function liveRenderer(stdout: Writable & { columns?: number }, stderr: Writable): DeployRenderer {
  let drawn = 0;
  let startedAt: number | undefined;
  let deploymentId: string | undefined;
  let rolloutState: string | undefined;
  let revisions: RevisionProgress[] = [];
  // Native strategies: the service deployment's stage, revisions with weights, hooks, and the bake's end.
  let stage: string | undefined;
  let shares: RevisionShare[] = [];
  const hooks = new Map<string, HookState & { stage: string | undefined }>();
  let bake: { kind: 'step' | 'final'; endsAt: number } | undefined;
  const recent: string[] = [];
  // The tool's own canary (executor alb): its step, weights and what it waits for.
  let canary = NO_CANARY_VIEW;

  // A terminal that reports no size (0 columns) gets a generous default rather than clipped lines.
  const width = (): number => (stdout.columns ? Math.max(40, stdout.columns) : 120);
  const clip = (line: string): string => (line.length > width() - 1 ? `${line.slice(0, width() - 2)}…` : line);

  const block = (at: string): string[] => {
    const canaryLine = canaryViewLine(canary);
    if (!deploymentId) return canaryLine ? [canaryLine].map(clip) : [];
    const elapsed = startedAt === undefined ? '' : `  ${formatDuration(Date.parse(at) - startedAt)}`;
    const lines = [...(canaryLine ? [canaryLine] : []), `deployment ${deploymentId}  ${rolloutState ?? 'IN_PROGRESS'}${elapsed}`];
    if (stage !== undefined) lines.push(`  stage ${stage}`);
    for (const r of shares) lines.push(`  ${describeShare(r)}`);
    for (const [id, h] of hooks) lines.push(`  hook ${id.slice(0, 12)} ${h.targetType ?? ''} ${h.status ?? '-'}${h.expiresAt && h.status === 'AWAITING_ACTION' ? ` until ${h.expiresAt.slice(11, 19)}` : ''}`);
    if (bake) lines.push(`  ${bake.kind === 'final' ? 'bake' : 'step bake'}: ${formatDuration(Math.max(0, bake.endsAt - Date.parse(at)))} left`);
    if (stage === undefined) {
      for (const r of revisions) {
        const healthy = r.healthy === undefined ? '' : `  healthy ${r.healthy}`;
        lines.push(`  ${taskDefinitionLabel(r.taskDefinitionArn).padEnd(24)} ${r.status.padEnd(8)} running ${r.running}/${r.desired}  pending ${r.pending}${healthy}  failed ${r.failed}`);
      }
    }
    if (recent.length) lines.push('  recent:', ...recent.map((line) => `    ${line}`));
    return lines.map(clip);
  };

  const redraw = (at: string, permanent: string[]): void => {
    let out = ERASE_BLOCK(drawn);
    for (const line of permanent) out += `${line}\n`;
    const lines = block(at);
    for (const line of lines) out += `${line}\n`;
    drawn = lines.length;
    stdout.write(out);
  };

  return {
    event(event: RolloutEvent) {
      startedAt ??= Date.parse(event.at);
      const permanent: string[] = [];
      if (isCanaryEvent(event)) canary = nextCanaryView(canary, event);
      switch (event.type) {
        case 'deployment-progress':
          deploymentId = event.deploymentId;
          rolloutState = event.rolloutState;
          revisions = event.revisions;
          break;
        case 'service-deployment-progress':
          rolloutState = event.status;
          stage = event.stage;
          shares = event.revisions;
          if (event.status !== 'IN_PROGRESS') bake = undefined;
          break;
        case 'stage-changed':
          stage = event.stage;
          bake = undefined;
          permanent.push(describeEvent(event));
          break;
        case 'hook-state':
          hooks.set(event.hookId, event);
          if (event.status === 'AWAITING_ACTION') permanent.push(describeEvent(event));
          break;
        case 'bake-progress':
          bake = { kind: event.kind, endsAt: Date.parse(event.endsAt) };
          break;
        case 'gate-output':
        case 'service-event':
        case 'task-stopped':
          recent.push(`${event.at.slice(11, 19)}  ${describeEvent(event)}`);
          if (recent.length > RECENT_EVENTS) recent.shift();
          break;
        case 'service-updated':
          deploymentId = event.deploymentId;
          permanent.push(describeEvent(event));
          break;
        case 'rollback-started':
          deploymentId = event.rollbackDeploymentId;
          rolloutState = 'IN_PROGRESS';
          permanent.push(describeEvent(event));
          break;
        case 'deployment-aborted':
          rolloutState = 'ABORTED';
          bake = undefined;
          permanent.push(describeEvent(event));
          break;
        case 'deployment-completed':
        case 'deployment-rolled-back':
          rolloutState = 'COMPLETED';
          permanent.push(describeEvent(event));
          break;
        case 'deployment-failed':
          rolloutState = 'FAILED';
          permanent.push(describeEvent(event));
          break;
        default:
          permanent.push(describeEvent(event));
      }
      redraw(event.at, permanent);
    },
    result(result) {
      // The block stays as the last picture of the deployment; the verdict goes below it.
      for (const line of resultLines(result)) writeLine(stdout, line);
      drawn = 0;
    },
    error(error) {
      writeLine(stderr, `error: ${error.message}`);
    },
  };
}
