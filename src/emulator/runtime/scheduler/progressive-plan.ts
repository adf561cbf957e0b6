/**
 * The stage and weight plan of ECS's BLUE_GREEN, LINEAR and CANARY
 * deployments, as pure functions. The scheduler (progressive-deployment.ts)
 * applies them: it moves tasks and listener weights, and waits.
 */

export type ProgressiveStrategy = 'BLUE_GREEN' | 'LINEAR' | 'CANARY';

/** ServiceDeploymentLifecycleStage, plus PRE_PRODUCTION_TRAFFIC_SHIFT which ECS documents but its enum lacks. */
export type ProgressiveStage =
  | 'RECONCILE_SERVICE' | 'PRE_SCALE_UP' | 'SCALE_UP' | 'POST_SCALE_UP' | 'TEST_TRAFFIC_SHIFT' | 'POST_TEST_TRAFFIC_SHIFT'
  | 'PRE_PRODUCTION_TRAFFIC_SHIFT' | 'PRODUCTION_TRAFFIC_SHIFT' | 'POST_PRODUCTION_TRAFFIC_SHIFT' | 'BAKE_TIME' | 'CLEAN_UP';

/** Stages a lifecycle hook may name (DeploymentLifecycleHookStage). */
export const HOOKABLE_STAGES: readonly ProgressiveStage[] = [
  'RECONCILE_SERVICE', 'PRE_SCALE_UP', 'POST_SCALE_UP', 'TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT',
];

/** ECS runs only Lambda hooks while traffic moves: a PAUSE there would hold traffic half-shifted. */
export const PAUSE_FORBIDDEN_STAGES: readonly ProgressiveStage[] = ['TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT'];

export interface StrategySettings {
  strategy: ProgressiveStrategy;
  /** LINEAR: percent per step (3-100, default 10). */
  stepPercent?: number | undefined;
  /** LINEAR: minutes between steps (default 6). */
  stepBakeTimeInMinutes?: number | undefined;
  /** CANARY: first step's percent (0.1-100, default 5). */
  canaryPercent?: number | undefined;
  /** CANARY: minutes at the canary percent (default 10). */
  canaryBakeTimeInMinutes?: number | undefined;
}

export interface ProductionStep {
  /** Percent of production traffic on the new revision after this step. */
  percent: number;
  /** Minutes to wait after this step before the next one (0 after the last). */
  bakeMinutes: number;
}

export const LINEAR_DEFAULTS = { stepPercent: 10, stepBakeTimeInMinutes: 6 };
export const CANARY_DEFAULTS = { canaryPercent: 5, canaryBakeTimeInMinutes: 10 };

const tenth = (n: number): number => Math.round(n * 10) / 10;

/** The production traffic steps: all at once, canary then the rest, or equal linear steps. */
export function productionSteps(settings: StrategySettings): ProductionStep[] {
  switch (settings.strategy) {
    case 'BLUE_GREEN':
      return [{ percent: 100, bakeMinutes: 0 }];
    case 'CANARY': {
      const percent = tenth(settings.canaryPercent ?? CANARY_DEFAULTS.canaryPercent);
      if (percent >= 100) return [{ percent: 100, bakeMinutes: 0 }];
      return [
        { percent, bakeMinutes: settings.canaryBakeTimeInMinutes ?? CANARY_DEFAULTS.canaryBakeTimeInMinutes },
        { percent: 100, bakeMinutes: 0 },
      ];
    }
    case 'LINEAR': {
      const step = tenth(settings.stepPercent ?? LINEAR_DEFAULTS.stepPercent);
      const bake = settings.stepBakeTimeInMinutes ?? LINEAR_DEFAULTS.stepBakeTimeInMinutes;
      const steps: ProductionStep[] = [];
      for (let n = 1; tenth(step * n) < 100; n += 1) steps.push({ percent: tenth(step * n), bakeMinutes: bake });
      // The step bake is not applied after traffic reaches 100%.
      steps.push({ percent: 100, bakeMinutes: 0 });
      return steps;
    }
  }
}

/**
 * ALB forward weights (integers 0-999) for a split: whole percents on a
 * scale of 100, tenths on a scale of 1000 (999 is ALB's largest weight, so
 * 0.1% is 999/1).
 */
export function splitWeights(greenPercent: number): { blue: number; green: number } {
  const p = tenth(Math.min(100, Math.max(0, greenPercent)));
  if (Number.isInteger(p)) return { blue: 100 - p, green: p };
  return { blue: Math.round((100 - p) * 10), green: Math.round(p * 10) };
}

/** The percent of traffic a group gets from a forward action's weights. */
export function percentOf(weights: Array<{ targetGroupArn: string; weight: number }>, targetGroupArn: string): number {
  const total = weights.reduce((n, w) => n + w.weight, 0);
  if (total === 0) return 0;
  return tenth((100 * (weights.find((w) => w.targetGroupArn === targetGroupArn)?.weight ?? 0)) / total);
}

/** What a forward deployment does next, from where it is. */
export type ForwardMove =
  | { kind: 'enter'; stage: ProgressiveStage; step: number }
  | { kind: 'done' };

/** The stage after `stage` (its work and hooks finished). `step` counts production steps. */
export function nextStage(stage: ProgressiveStage, step: number, stepCount: number): ForwardMove {
  switch (stage) {
    case 'RECONCILE_SERVICE': return { kind: 'enter', stage: 'PRE_SCALE_UP', step };
    case 'PRE_SCALE_UP': return { kind: 'enter', stage: 'SCALE_UP', step };
    case 'SCALE_UP': return { kind: 'enter', stage: 'POST_SCALE_UP', step };
    case 'POST_SCALE_UP': return { kind: 'enter', stage: 'TEST_TRAFFIC_SHIFT', step };
    case 'TEST_TRAFFIC_SHIFT': return { kind: 'enter', stage: 'POST_TEST_TRAFFIC_SHIFT', step };
    case 'POST_TEST_TRAFFIC_SHIFT': return { kind: 'enter', stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT', step: 0 };
    case 'PRE_PRODUCTION_TRAFFIC_SHIFT': return { kind: 'enter', stage: 'PRODUCTION_TRAFFIC_SHIFT', step };
    case 'PRODUCTION_TRAFFIC_SHIFT':
      return step + 1 < stepCount
        ? { kind: 'enter', stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT', step: step + 1 }
        : { kind: 'enter', stage: 'POST_PRODUCTION_TRAFFIC_SHIFT', step };
    case 'POST_PRODUCTION_TRAFFIC_SHIFT': return { kind: 'enter', stage: 'BAKE_TIME', step };
    case 'BAKE_TIME': return { kind: 'enter', stage: 'CLEAN_UP', step };
    case 'CLEAN_UP': return { kind: 'done' };
  }
}

/** One move of a rollback, in the order ECS makes them. */
export type RollbackMove =
  | { kind: 'production-to-blue' }
  | { kind: 'test-to-blue' }
  | { kind: 'remove-green' };

/**
 * Production first (it is what users see), then the test route, then the
 * green tasks. Before production moved, production never saw green: only
 * the test route and the tasks are undone.
 */
export function rollbackMoves(state: { productionPercent: number; testPercent: number }): RollbackMove[] {
  const moves: RollbackMove[] = [];
  if (state.productionPercent > 0) moves.push({ kind: 'production-to-blue' });
  if (state.testPercent > 0) moves.push({ kind: 'test-to-blue' });
  moves.push({ kind: 'remove-green' });
  return moves;
}

/** The lifecycle stage a rollback move is reported under. */
export function rollbackStage(move: RollbackMove): ProgressiveStage {
  switch (move.kind) {
    case 'production-to-blue': return 'PRODUCTION_TRAFFIC_SHIFT';
    case 'test-to-blue': return 'TEST_TRAFFIC_SHIFT';
    case 'remove-green': return 'CLEAN_UP';
  }
}
