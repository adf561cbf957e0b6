import { formatDuration } from './duration.js';

/**
 * The steps of a canary the tool drives itself (executor alb), as the engine
 * runs them: Argo Rollouts' canary steps, one kind per variant.
 */
export type CanaryStep =
  /** Canary gets this percent of the route's traffic, stable the rest. */
  | { kind: 'set-weight'; weight: number }
  /** Waits this long, then goes on (ecs-rollout promote ends it early). */
  | { kind: 'pause'; durationMs: number }
  /** Waits until ecs-rollout promote (Argo's `pause: {}`). */
  | { kind: 'manual-gate' }
  /** Runs a named analysis of the config file; its verdict decides. */
  | { kind: 'analysis'; name: string };

export interface LinearSteps {
  /** Percent added at each step. */
  step: number;
  intervalMs: number;
  analysis?: string | undefined;
}

export interface ExponentialSteps {
  /** Percent of the first step. */
  start: number;
  /** Each step's weight is the previous one times this. */
  factor: number;
  intervalMs: number;
  analysis?: string | undefined;
}

/**
 * step, 2*step, ... while below 100, each followed by a pause of the interval
 * (and the analysis, when named). The canary never takes 100%: after the last
 * step the stable service takes the new revision, which is the promotion.
 */
export function linearSteps(spec: LinearSteps): CanaryStep[] {
  const weights: number[] = [];
  for (let w = spec.step; w < 100; w += spec.step) weights.push(w);
  return withIntervals(weights, spec.intervalMs, spec.analysis);
}

/**
 * start, start*factor, start*factor^2, ... rounded to whole percents, while
 * below 100; a power that rounds to no more than the last weight is raised
 * to one above it, so every step adds traffic.
 */
export function exponentialSteps(spec: ExponentialSteps): CanaryStep[] {
  const weights: number[] = [];
  for (let exact = spec.start; ; exact *= spec.factor) {
    const weight = Math.max(Math.round(exact), (weights.at(-1) ?? 0) + 1);
    if (weight >= 100) break;
    weights.push(weight);
  }
  return withIntervals(weights, spec.intervalMs, spec.analysis);
}

function withIntervals(weights: readonly number[], intervalMs: number, analysis: string | undefined): CanaryStep[] {
  return weights.flatMap((weight): CanaryStep[] => [
    { kind: 'set-weight', weight },
    ...(intervalMs > 0 ? [{ kind: 'pause', durationMs: intervalMs } as const] : []),
    ...(analysis !== undefined ? [{ kind: 'analysis', name: analysis } as const] : []),
  ]);
}

/** The highest weight any step gives the canary (0 when no step sets one). */
export function largestWeight(steps: readonly CanaryStep[]): number {
  return Math.max(0, ...steps.map((s) => (s.kind === 'set-weight' ? s.weight : 0)));
}

/** A step as the user wrote it, for events and status: "setWeight 25", "pause 2m", "pause (until promote)", "analysis error-rate". */
export function describeStep(step: CanaryStep): string {
  switch (step.kind) {
    case 'set-weight':
      return `setWeight ${step.weight}`;
    case 'pause':
      return `pause ${formatDuration(step.durationMs)}`;
    case 'manual-gate':
      return 'pause (until promote)';
    case 'analysis':
      return `analysis ${step.name}`;
  }
}
