import type { AnalysisRunner, AnalysisVariables, AnalysisVerdict } from '../../analysis/contract.js';
import { describeStep, type CanaryStep } from '../../spec/canary-steps.js';
import { RolloutError } from '../../spec/errors.js';
import { checkpoint } from './checkpoint.js';
import type { CanaryContext, CanaryRecorder } from './context.js';
import { pauseEnd, promotedAt, shiftRefusal, verdictAction } from './decisions.js';
import { CanaryInterrupted } from './interruption.js';
import { loadBalancerDimension, targetGroupDimension } from './route.js';
import type { CanaryState } from './state-tag.js';
import { pairHealth, shiftTraffic } from './traffic.js';

export interface StepRun {
  step: CanaryStep;
  /** 1-based. */
  number: number;
  total: number;
  /** The state an earlier run recorded, when this step resumes it (a pause keeps its end). */
  resumed: CanaryState | undefined;
  analysis: AnalysisRunner | undefined;
}

/** Runs one step to its end; a failure or an abort throws CanaryInterrupted. */
export async function runStep(ctx: CanaryContext, recorder: CanaryRecorder, run: StepRun): Promise<void> {
  const { step, number, total } = run;
  const description = describeStep(step);
  ctx.emit({ type: 'step-started', step: number, totalSteps: total, description });
  const at = { phase: 'step', step: number } as const;
  switch (step.kind) {
    case 'set-weight': {
      await recorder.update({ ...at, waiting: undefined, until: undefined });
      const refusal = shiftRefusal(step.weight, await pairHealth(ctx));
      if (refusal) throw new CanaryInterrupted('rolled-back', refusal);
      await shiftTraffic(ctx, step.weight);
      await recorder.update({ weight: step.weight });
      // An abort that raced this write is seen now, before anything else moves.
      await checkpoint(ctx, recorder, { canaryHealth: step.weight > 0 });
      break;
    }
    case 'pause': {
      const until = pauseEnd(run.resumed, number, step.durationMs / ctx.stepSpeed, ctx.clock.now());
      await recorder.update({ ...at, waiting: 'pause', until });
      ctx.emit({ type: 'pause-started', step: number, durationMs: step.durationMs, until: new Date(until).toISOString() });
      await waitFor(ctx, recorder, number, until);
      break;
    }
    case 'manual-gate':
      await recorder.update({ ...at, waiting: 'promote', until: undefined });
      ctx.emit({ type: 'waiting-for-promote', step: number, totalSteps: total, reason: 'pause: {} waits for ecs-rollout promote' });
      await waitFor(ctx, recorder, number, undefined);
      break;
    case 'analysis': {
      await recorder.update({ ...at, waiting: 'analysis', until: undefined });
      const verdict = await analyse(ctx, recorder, run.analysis, step.name, variables(ctx, recorder.state, number));
      switch (verdictAction(verdict)) {
        case 'continue':
          break;
        case 'rollback':
          throw new CanaryInterrupted('rolled-back', `analysis ${step.name} ${verdict.phase}: ${verdict.summary}`);
        case 'wait-for-promote':
          await recorder.update({ waiting: 'promote' });
          ctx.emit({ type: 'analysis-waiting-for-operator', analysis: step.name, phase: verdict.phase, summary: verdict.summary, stage: `step ${number}/${total}`, expiresAt: undefined });
          await waitFor(ctx, recorder, number, undefined);
          break;
        case 'continue-with-warning':
          ctx.emit({ type: 'analysis-failure-reported', analysis: step.name, phase: verdict.phase, summary: verdict.summary });
          break;
      }
      break;
    }
  }
  ctx.emit({ type: 'step-finished', step: number, totalSteps: total, description });
}

/**
 * Waits until `until` (a timed pause) or for ecs-rollout promote at this
 * step (which also ends a timed pause early), looking for an abort and at
 * the canary's health at every poll.
 */
async function waitFor(ctx: CanaryContext, recorder: CanaryRecorder, step: number, until: number | undefined): Promise<void> {
  const { clock, signal } = ctx;
  for (;;) {
    const record = await checkpoint(ctx, recorder, { canaryHealth: true });
    if (promotedAt(record.promote, recorder.state.run, step)) {
      ctx.emit({ type: 'promote-received', step, by: record.promote?.by ?? '' });
      return;
    }
    const remaining = until === undefined ? ctx.pollIntervalMs : until - clock.now();
    if (remaining <= 0) return;
    await clock.sleep(Math.min(ctx.pollIntervalMs, remaining), signal);
  }
}

/**
 * Runs the analysis while a watcher keeps looking for an abort and at the
 * canary's health; either one stops the analysis and the canary.
 */
async function analyse(ctx: CanaryContext, recorder: CanaryRecorder, runner: AnalysisRunner | undefined, name: string, vars: AnalysisVariables): Promise<AnalysisVerdict> {
  if (!runner) throw new RolloutError('InvalidConfig', `analysis ${name} is named by a step but no analysis runner was given`);
  const stop = new AbortController();
  const onOuterAbort = (): void => stop.abort(ctx.signal?.reason);
  ctx.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let interrupted: CanaryInterrupted | undefined;
  const watcher = (async () => {
    while (!stop.signal.aborted) {
      await ctx.clock.sleep(ctx.pollIntervalMs, stop.signal);
      try {
        await checkpoint({ ...ctx, signal: stop.signal }, recorder, { canaryHealth: true });
      } catch (err) {
        if (err instanceof CanaryInterrupted) {
          interrupted = err;
          stop.abort(err);
        }
        throw err;
      }
    }
  })().catch(() => undefined);
  try {
    return await runner.run(name, vars, stop.signal);
  } catch (err) {
    if (interrupted) throw interrupted;
    throw err;
  } finally {
    ctx.signal?.removeEventListener('abort', onOuterAbort);
    if (!stop.signal.aborted) stop.abort();
    await watcher;
    // The runner may have ended on its own just as the watcher found a reason to stop.
    if (interrupted) throw interrupted;
  }
}

/** What an analysis may refer to as {{name}} (see analysis/contract.ts). */
export function variables(ctx: CanaryContext, state: CanaryState, step: number): AnalysisVariables {
  return {
    'canary.targetGroup': targetGroupDimension(ctx.canary.targetGroupArn),
    'stable.targetGroup': targetGroupDimension(ctx.stable.targetGroupArn),
    loadBalancer: loadBalancerDimension(ctx.route),
    cluster: ctx.cluster,
    'canary.service': ctx.canary.name,
    'stable.service': ctx.stable.name,
    'canary.weight': String(state.weight),
    step: String(step),
  };
}
