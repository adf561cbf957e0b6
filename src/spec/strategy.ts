import { z } from 'zod';
import { parseDuration } from './duration.js';
import { albCanarySchema, canaryStepsSchema, executorSchema } from './alb-canary.js';

/** How a deploy rolls out; the names users type. Each maps to ECS's DeploymentStrategy. */
export const STRATEGY_NAMES = ['rolling', 'blue-green', 'canary', 'linear'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

export const ECS_STRATEGY: Record<StrategyName, 'ROLLING' | 'BLUE_GREEN' | 'CANARY' | 'LINEAR'> = {
  rolling: 'ROLLING',
  'blue-green': 'BLUE_GREEN',
  canary: 'CANARY',
  linear: 'LINEAR',
};

/**
 * Stages where ECS accepts a PAUSE hook (it refuses TEST_TRAFFIC_SHIFT and
 * PRODUCTION_TRAFFIC_SHIFT for PAUSE): the tool's gates can run at these.
 */
export const GATE_STAGES = ['RECONCILE_SERVICE', 'PRE_SCALE_UP', 'POST_SCALE_UP', 'POST_TEST_TRAFFIC_SHIFT', 'PRE_PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'] as const;
export type GateStage = (typeof GATE_STAGES)[number];

/** Stages where ECS accepts a lifecycle hook (DeploymentLifecycleHookStage): Lambda hooks may also run while traffic moves. */
export const HOOK_STAGES = [
  'RECONCILE_SERVICE', 'PRE_SCALE_UP', 'POST_SCALE_UP', 'TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT',
] as const;
export type HookStage = (typeof HOOK_STAGES)[number];

/** ECS's bounds for a hook's timeoutInMinutes (DeploymentLifecycleHookTimeoutConfiguration). */
export const HOOK_TIMEOUT_MINUTES = { min: 1, max: 20_160 } as const;

const duration = z.custom<string>((value) => typeof value === 'string' && parseDuration(value) !== undefined, {
  error: (issue) => `expected a duration like 90s or 15m, got ${quote(issue.input)}`,
});
const text = z.string({ error: (issue) => `expected text, got ${quote(issue.input)}` }).min(1, 'must not be empty');
const count = z.number({ error: (issue) => `expected a whole number, got ${quote(issue.input)}` }).int('expected a whole number').min(0, 'must be 0 or more');
const percent = (min: number, why: string) =>
  z
    .number({ error: (issue) => `expected a percentage, got ${quote(issue.input)}` })
    .min(min, `must be at least ${min} (${why})`)
    .max(100, 'must be at most 100')
    // ECS takes percentages in steps of 0.1.
    .refine((n) => Math.abs(n * 10 - Math.round(n * 10)) < 1e-9, 'must be a multiple of 0.1');

const retryFields = {
  timeout: duration.optional(),
  retries: count.optional(),
  interval: duration.optional(),
};

const httpCheck = z.strictObject(
  {
    url: z.url({ error: (issue) => `expected a URL like http://127.0.0.1:8081/health, got ${quote(issue.input)}` }),
    expectStatus: z.number({ error: (issue) => `expected an HTTP status like 200, got ${quote(issue.input)}` }).int().min(100).max(599).optional(),
    ...retryFields,
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? 'unknown field; the fields are url, expectStatus, timeout, retries, interval' : 'expected a mapping with url') },
);

const commandCheck = z.strictObject(
  { run: text, ...retryFields },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? 'unknown field; the fields are run, timeout, retries, interval' : 'expected a mapping with run') },
);

const gate = z
  .strictObject(
    {
      stage: z.enum(GATE_STAGES, { error: (issue) => `expected a stage where ECS allows a PAUSE hook (${GATE_STAGES.join(', ')}), got ${quote(issue.input)}` }),
      name: text,
      http: httpCheck.optional(),
      command: commandCheck.optional(),
      /** The name of an analysis in the file's analysis: section, run at this stage instead of a check. */
      analysis: text.optional(),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? 'unknown field; the fields are stage, name, http, command, analysis' : 'expected a gate mapping with stage, name and http, command or analysis') },
  )
  .refine((g) => [g.http, g.command, g.analysis].filter((c) => c !== undefined).length === 1, { error: 'a gate needs exactly one of http or command (or analysis: NAME)' });

const hookFields = ['stages', 'lambda', 'role', 'pause', 'timeout', 'onTimeout', 'details'];

/**
 * A lifecycle hook the service should have: a Lambda function ECS calls at
 * the stages, or a PAUSE that waits for `ecs-rollout promote` (or abort).
 */
const hook = z
  .strictObject(
    {
      stages: z
        .array(z.enum(HOOK_STAGES, { error: (issue) => `expected a lifecycle stage (${HOOK_STAGES.join(', ')}), got ${quote(issue.input)}` }))
        .min(1, 'name at least one stage'),
      /** The function's ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME). */
      lambda: text.optional(),
      /** The IAM role ECS assumes to invoke the function; AWS requires it, the emulator does not. */
      role: text.optional(),
      pause: z.literal(true, { error: 'expected true (a PAUSE hook that waits for ecs-rollout promote)' }).optional(),
      timeout: duration.optional(),
      onTimeout: z.enum(['rollback', 'continue'], { error: (issue) => `expected rollback or continue, got ${quote(issue.input)}` }).optional(),
      /** Passed to the function as hookDetails. */
      details: z.record(z.string(), z.unknown(), { error: 'expected a mapping (passed to the function as hookDetails)' }).optional(),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field; the fields are ${hookFields.join(', ')}` : 'expected a hook mapping with stages and lambda or pause') },
  )
  .refine((h) => (h.lambda === undefined) !== (h.pause === undefined), { error: 'a hook needs exactly one of lambda: FUNCTION_ARN or pause: true' })
  .refine((h) => h.pause === undefined || h.stages.every((s) => (GATE_STAGES as readonly string[]).includes(s)), {
    error: 'ECS runs no PAUSE hook while traffic moves: a pause hook cannot name TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT',
  })
  .refine((h) => {
    const minutes = wholeMinutes(h.timeout)?.minutes;
    return minutes === undefined || (minutes >= HOOK_TIMEOUT_MINUTES.min && minutes <= HOOK_TIMEOUT_MINUTES.max);
  }, { error: `timeout must be from 1m to 336h (ECS takes ${HOOK_TIMEOUT_MINUTES.min} to ${HOOK_TIMEOUT_MINUTES.max} whole minutes)` });

const codeDeployFields = ['application', 'deploymentGroup', 'deploymentConfig', 'appSpec', 'waitForTermination'];

/** Blue/green through CodeDeploy: where the deployment goes, and what it carries. */
const codeDeploySchema = z.strictObject(
  {
    /** The CodeDeploy application; with deploymentGroup. Default: the one ECS deployment group whose ecsServices names the service. */
    application: text.optional(),
    deploymentGroup: text.optional(),
    /** A deployment configuration by name, over the group's own and over what --strategy canary or linear would choose. */
    deploymentConfig: text.optional(),
    /** An AppSpec file (YAML or JSON) to send, with the new task definition filled in; default: one generated from the service. */
    appSpec: text.optional(),
    /** Follow the deployment through the wait before the original task set is terminated, instead of ending when production is on the new one. */
    waitForTermination: z.boolean({ error: (issue) => `expected true or false, got ${quote(issue.input)}` }).optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field; the fields are ${codeDeployFields.join(', ')}` : 'expected a mapping with application, deploymentGroup, deploymentConfig, appSpec or waitForTermination') },
).refine((c) => (c.application === undefined) === (c.deploymentGroup === undefined), { error: 'name both application and deploymentGroup, or neither (the group that deploys the service is then looked up)' });

export const strategySchema = z.strictObject(
  {
    type: z.enum(STRATEGY_NAMES, { error: (issue) => `expected one of ${STRATEGY_NAMES.join(', ')}, got ${quote(issue.input)}` }).optional(),
    canary: z.strictObject({ percent: percent(0.1, 'ECS minimum').optional(), bake: duration.optional() }, { error: 'expected a mapping with percent and bake' }).optional(),
    linear: z.strictObject({ stepPercent: percent(3, 'ECS minimum step').optional(), stepBake: duration.optional() }, { error: 'expected a mapping with stepPercent and stepBake' }).optional(),
    bake: duration.optional(),
    /** The final bake as a PAUSE hook that times out into CONTINUE, so ecs-rollout promote can end it early. */
    promotableBake: z.boolean({ error: (issue) => `expected true or false, got ${quote(issue.input)}` }).optional(),
    /** The service's lifecycle hooks; when given, they replace the service's own (the tool's gate hooks are added). */
    hooks: z.array(hook).optional(),
    productionListenerRule: text.optional(),
    testListenerRule: text.optional(),
    alternateTargetGroup: text.optional(),
    /** IAM role ECS assumes to change listener rules; AWS requires it, the emulator does not. */
    loadBalancerRole: text.optional(),
    alarms: z
      .strictObject(
        {
          /** ECS's deployment alarms for the service (ECS controller); absent: the service's own alarms are kept. */
          names: z.array(text).min(1, 'name at least one alarm').optional(),
          rollback: z.boolean().optional(),
          /** An alarm already in ALARM before the deploy: stop (default, exit 2) or proceed anyway. */
          preexistingAlarm: z.enum(['stop', 'proceed'], { error: (issue) => `expected stop or proceed, got ${quote(issue.input)}` }).optional(),
        },
        { error: (issue) => (issue.code === 'unrecognized_keys' ? 'unknown field; the fields are names, rollback, preexistingAlarm' : 'expected a mapping with names and rollback') },
      )
      .optional(),
    gates: z.array(gate).optional(),
    /** Services with the CODE_DEPLOY deployment controller: which deployment group, config and AppSpec (docs/strategies/codedeploy.md). */
    codeDeploy: codeDeploySchema.optional(),
    /** Who moves traffic: ECS (default) or the tool itself through listener weights (see alb-canary.ts). */
    executor: executorSchema.optional(),
    alb: albCanarySchema.optional(),
    steps: canaryStepsSchema.optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? 'unknown field; the fields are type, canary, linear, bake, promotableBake, hooks, productionListenerRule, testListenerRule, alternateTargetGroup, loadBalancerRole, alarms, gates, codeDeploy, executor, alb, steps'
        : `expected a mapping of strategy settings, got ${quote(issue.input)}`,
  },
);

export type StrategyConfig = z.infer<typeof strategySchema>;
export type GateConfig = NonNullable<StrategyConfig['gates']>[number];
export type HookConfig = NonNullable<StrategyConfig['hooks']>[number];

/** A gate's check with its durations resolved to milliseconds and defaults filled in. */
export type GateCheck =
  | { kind: 'http'; url: string; expectStatus: number; timeoutMs: number; retries: number; intervalMs: number }
  | { kind: 'command'; run: string; timeoutMs: number; retries: number; intervalMs: number };

/** A gate that runs a named analysis; `budgetMs` is the longest the analysis can take (for the PAUSE hook's timeout). */
export interface AnalysisGateCheck {
  kind: 'analysis';
  analysis: string;
  budgetMs: number;
}

export interface Gate {
  stage: GateStage;
  name: string;
  check: GateCheck | AnalysisGateCheck;
}

export const GATE_DEFAULTS = { timeoutMs: 30_000, retries: 0, intervalMs: 5_000, expectStatus: 200 } as const;

/**
 * Gates as the engine runs them. Durations and analysis names were validated
 * when the file was read; `analysisBudgets` gives the longest each analysis
 * can take (spec/analysis.ts analysisBudgetMs), for the PAUSE hook timeout.
 */
export function resolveGates(gates: readonly GateConfig[] | undefined, analysisBudgets: ReadonlyMap<string, number> = new Map()): Gate[] {
  return (gates ?? []).map((g) => {
    if (g.analysis !== undefined) return { stage: g.stage, name: g.name, check: { kind: 'analysis', analysis: g.analysis, budgetMs: analysisBudgets.get(g.analysis) ?? 0 } };
    const source = g.http ?? g.command;
    const timeoutMs = ms(source?.timeout) ?? GATE_DEFAULTS.timeoutMs;
    const retries = source?.retries ?? GATE_DEFAULTS.retries;
    const intervalMs = ms(source?.interval) ?? GATE_DEFAULTS.intervalMs;
    const check: GateCheck = g.http
      ? { kind: 'http', url: g.http.url, expectStatus: g.http.expectStatus ?? GATE_DEFAULTS.expectStatus, timeoutMs, retries, intervalMs }
      : { kind: 'command', run: g.command?.run ?? '', timeoutMs, retries, intervalMs };
    return { stage: g.stage, name: g.name, check };
  });
}

/** The longest a gate can take: every attempt times out and every pause is waited. */
export function gateBudgetMs(check: GateCheck | AnalysisGateCheck): number {
  if (check.kind === 'analysis') return check.budgetMs;
  return (check.retries + 1) * check.timeoutMs + check.retries * check.intervalMs;
}

/**
 * ECS takes whole minutes; a duration that is not one is rounded up (a bake
 * is a minimum wait, never cut short). `rounded` says when that happened so
 * the user is told.
 */
export function wholeMinutes(value: string | undefined): { minutes: number; rounded: boolean } | undefined {
  const millis = ms(value);
  if (millis === undefined) return undefined;
  const minutes = Math.ceil(millis / 60_000);
  return { minutes, rounded: minutes * 60_000 !== millis };
}

function ms(value: string | undefined): number | undefined {
  return value === undefined ? undefined : parseDuration(value);
}

function quote(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value) ?? String(value);
}
