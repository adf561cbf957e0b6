import { z } from 'zod';
import { parseDuration } from './duration.js';
import { RolloutError } from './errors.js';
import { exponentialSteps, linearSteps, type CanaryStep } from './canary-steps.js';

/**
 * The canary the tool drives itself (`executor: alb`): two ECS services,
 * stable and canary, each registered in its own target group, behind one
 * listener rule (or a listener's default action) that forwards with weights.
 */

/** Who moves the traffic: ECS's own deployment controller, or the tool through the listener's weights. */
export const EXECUTORS = ['ecs', 'alb'] as const;
export type Executor = (typeof EXECUTORS)[number];

/** Where the weights live: a listener rule, or a listener's default action. */
export type TrafficRoute = { kind: 'rule'; arn: string } | { kind: 'listener'; arn: string };

const duration = z.custom<string>((value) => typeof value === 'string' && parseDuration(value) !== undefined, {
  error: (issue) => `expected a duration like 90s or 15m, got ${quote(issue.input)}`,
});
const name = z.string({ error: (issue) => `expected a name, got ${quote(issue.input)}` }).min(1, 'must not be empty');
const arn = (what: string, example: string) =>
  z.string({ error: (issue) => `expected the ARN of ${what}, got ${quote(issue.input)}` }).startsWith('arn:', `expected an ARN like ${example}`);
const wholePercent = (min: number) =>
  z
    .number({ error: (issue) => `expected a whole percentage, got ${quote(issue.input)}` })
    .int('expected a whole percentage (ALB weights are whole numbers)')
    .min(min, `must be at least ${min}`)
    .max(100, 'must be at most 100');

export const executorSchema = z.enum(EXECUTORS, { error: (issue) => `expected ecs (ECS moves traffic) or alb (ecs-rollout shifts listener weights), got ${quote(issue.input)}` });

export const albCanarySchema = z
  .strictObject(
    {
      listenerRule: arn('a listener rule', 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee').optional(),
      listener: arn('a listener', 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2').optional(),
      canaryService: name,
      canaryCount: z.number({ error: (issue) => `expected a whole number of tasks, got ${quote(issue.input)}` }).int('expected a whole number of tasks').min(1, 'must be at least 1').optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? 'unknown field; the fields are listenerRule, listener, canaryService, canaryCount'
          : 'expected a mapping with canaryService and listenerRule (or listener)',
    },
  )
  .refine((a) => (a.listenerRule === undefined) !== (a.listener === undefined), {
    error: 'name exactly one of listenerRule (a rule that forwards to both target groups) or listener (its default action does)',
  });

const pauseSchema = z.union([duration, z.strictObject({ duration: duration.optional() })], {
  error: 'expected a duration like 2m, or {} to wait for ecs-rollout promote',
});

const stepSchema = z
  .strictObject(
    {
      setWeight: wholePercent(0).optional(),
      pause: pauseSchema.optional(),
      analysis: name.optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? 'unknown step; a step is one of setWeight: PERCENT, pause: DURATION (or {} for a manual gate), analysis: NAME'
          : 'expected a step: setWeight: PERCENT, pause: DURATION (or {}), or analysis: NAME',
    },
  )
  .refine((s) => [s.setWeight, s.pause, s.analysis].filter((v) => v !== undefined).length === 1, {
    error: 'a step holds exactly one of setWeight, pause, analysis; write them as separate list items',
  });

const generatorFields = { interval: duration, analysis: name.optional() };

const stepListSchema = z.array(stepSchema, { error: 'expected a list of steps' }).min(1, 'list at least one step');

const generatorSchema = z
  .strictObject(
    {
      linear: z.strictObject({ step: wholePercent(1), ...generatorFields }, { error: 'expected { step: PERCENT, interval: DURATION, analysis?: NAME }' }).optional(),
      exponential: z
        .strictObject(
          {
            start: wholePercent(1),
            factor: z.number({ error: (issue) => `expected a number above 1, got ${quote(issue.input)}` }).gt(1, 'must be above 1'),
            ...generatorFields,
          },
          { error: 'expected { start: PERCENT, factor: NUMBER, interval: DURATION, analysis?: NAME }' },
        )
        .optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? 'unknown generator; steps is a list of steps, or { linear: { step, interval } } or { exponential: { start, factor, interval } }'
          : 'expected a list of steps, or a generator: { linear: { step, interval } } or { exponential: { start, factor, interval } }',
    },
  )
  .refine((g) => (g.linear === undefined) !== (g.exponential === undefined), { error: 'name exactly one generator: linear or exponential' });

type StepListConfig = z.infer<typeof stepListSchema>;
type GeneratorConfig = z.infer<typeof generatorSchema>;

/**
 * A list of steps or a generator. Dispatched on the shape rather than a
 * zod union, so an error inside a step names that step's field.
 */
const stepsSchema = z.unknown().transform((input, ctx): StepListConfig | GeneratorConfig => {
  const result = Array.isArray(input) ? stepListSchema.safeParse(input) : generatorSchema.safeParse(input);
  if (result.success) return result.data;
  // The inner issues keep their paths (relative to steps) and their codes (unknown keys list the keys).
  for (const issue of result.error.issues) ctx.addIssue(issue as Parameters<typeof ctx.addIssue>[0]);
  return z.NEVER;
});

export type AlbCanaryConfig = z.infer<typeof albCanarySchema>;
export type CanaryStepsConfig = z.infer<typeof stepsSchema>;
export { stepsSchema as canaryStepsSchema };

/** What the alb executor runs, resolved from the strategy block. */
export interface AlbCanarySettings {
  route: TrafficRoute;
  canaryService: string;
  /** Canary tasks; undefined: enough for the largest weight (decided once the stable's size is known). */
  canaryCount: number | undefined;
  steps: CanaryStep[];
  /** Settings of the strategy block that the alb executor does not use, said once. */
  notes: string[];
}

/** The part of the strategy block the alb executor reads. */
export interface AlbStrategyFields {
  type?: string | undefined;
  alb?: AlbCanaryConfig | undefined;
  steps?: CanaryStepsConfig | undefined;
  canary?: unknown;
  linear?: unknown;
  gates?: readonly unknown[] | undefined;
}

/**
 * The alb executor's settings, or an InvalidConfig error naming the field
 * and the fix. `label` names the config file in messages.
 */
export function resolveAlbCanary(strategy: AlbStrategyFields | undefined, label = 'ecs-rollout.yaml'): AlbCanarySettings {
  const fail = (field: string, message: string): never => {
    throw new RolloutError('InvalidConfig', `${label}: strategy.${field}: ${message}`);
  };
  if (strategy?.type !== undefined && strategy.type !== 'canary') {
    fail('type', `the alb executor runs a canary; set type: canary (or executor: ecs for ${strategy.type})`);
  }
  const alb = strategy?.alb;
  if (!alb) return fail('alb', 'the alb executor needs alb: { listenerRule: ARN (or listener: ARN), canaryService: NAME }');
  if (!strategy.steps) {
    return fail('steps', 'the alb executor needs steps, e.g. [{ setWeight: 10 }, { pause: 5m }] or { linear: { step: 20, interval: 1m } }');
  }
  const steps = resolveSteps(strategy.steps);
  if (!steps.some((s) => s.kind === 'set-weight' && s.weight > 0)) fail('steps', 'no step gives the canary traffic; add a setWeight above 0');
  const notes: string[] = [];
  if (strategy.canary !== undefined) notes.push('strategy.canary configures ECS\'s own canary; the alb executor follows strategy.steps instead');
  if (strategy.linear !== undefined) notes.push('strategy.linear configures ECS\'s own linear deployment; the alb executor ignores it');
  if (strategy.gates?.length) notes.push('strategy.gates run at ECS PAUSE hooks; with the alb executor use analysis steps instead');
  const route: TrafficRoute = alb.listenerRule !== undefined ? { kind: 'rule', arn: alb.listenerRule } : { kind: 'listener', arn: alb.listener ?? '' };
  return { route, canaryService: alb.canaryService, canaryCount: alb.canaryCount, steps, notes };
}

/** A validated steps block as the engine runs it. */
export function resolveSteps(config: CanaryStepsConfig): CanaryStep[] {
  if (Array.isArray(config)) return config.map(resolveStep);
  if (config.linear) {
    const { step, interval, analysis } = config.linear;
    return linearSteps({ step, intervalMs: parseDuration(interval) ?? 0, analysis });
  }
  if (config.exponential) {
    const { start, factor, interval, analysis } = config.exponential;
    return exponentialSteps({ start, factor, intervalMs: parseDuration(interval) ?? 0, analysis });
  }
  return [];
}

function resolveStep(step: z.infer<typeof stepSchema>): CanaryStep {
  if (step.setWeight !== undefined) return { kind: 'set-weight', weight: step.setWeight };
  if (step.analysis !== undefined) return { kind: 'analysis', name: step.analysis };
  const pause = step.pause;
  const text = typeof pause === 'string' ? pause : pause?.duration;
  // Durations were validated when the file was read.
  return text === undefined ? { kind: 'manual-gate' } : { kind: 'pause', durationMs: parseDuration(text) ?? 0 };
}

function quote(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value) ?? String(value);
}
