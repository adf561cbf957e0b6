import type { DeploymentConfiguration, DeploymentLifecycleHook } from '@aws-sdk/client-ecs';
import {
  CANARY_DEFAULTS, HOOKABLE_STAGES, LINEAR_DEFAULTS, PAUSE_FORBIDDEN_STAGES, type ProgressiveStage,
} from '../../../runtime/scheduler/progressive-plan.js';
import { errors } from '../catalogue.js';

/** Checks of deploymentConfiguration's strategy, its settings and lifecycle hooks, with ECS's limits. */

const STRATEGIES = ['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'] as const;
type Strategy = (typeof STRATEGIES)[number];

const HOOK_TIMEOUT_DEFAULT_MINUTES = 1440;
const HOOK_TIMEOUT_MAX_MINUTES = 20160;
const BAKE_MAX_MINUTES = 1440;
const LAMBDA_ARN = /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:[a-zA-Z0-9_-]+(:[a-zA-Z0-9$_-]+)?$/;

function minutes(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > BAKE_MAX_MINUTES) {
    throw errors.invalid(`${field} must be an integer from 0 to ${BAKE_MAX_MINUTES}.`);
  }
  return value;
}

function percent(value: unknown, field: string, min: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  // Multiples of 0.1, compared in tenths so 10.1 is not rejected for float error.
  if (typeof value !== 'number' || value < min || value > 100 || Math.abs(value * 10 - Math.round(value * 10)) > 1e-6) {
    throw errors.invalid(`${field} must be a multiple of 0.1 from ${min} to 100.`);
  }
  return value;
}

/** The strategy and its settings, with ECS's defaults filled in. */
export function strategySettings(config: DeploymentConfiguration): Pick<
  DeploymentConfiguration, 'strategy' | 'bakeTimeInMinutes' | 'linearConfiguration' | 'canaryConfiguration'
> & { strategy: Strategy } {
  const strategy = (config.strategy ?? 'ROLLING') as Strategy;
  if (!STRATEGIES.includes(strategy)) throw errors.invalid(`strategy must be one of ${STRATEGIES.join(', ')}.`);
  const bake = minutes(config.bakeTimeInMinutes, 'deploymentConfiguration.bakeTimeInMinutes');
  if (strategy === 'ROLLING') return { strategy, ...(bake !== undefined ? { bakeTimeInMinutes: bake } : {}) };
  const out: ReturnType<typeof strategySettings> = { strategy, bakeTimeInMinutes: bake ?? 0 };
  if (strategy === 'LINEAR') {
    const linear = config.linearConfiguration ?? {};
    out.linearConfiguration = {
      stepPercent: percent(linear.stepPercent, 'linearConfiguration.stepPercent', 3) ?? LINEAR_DEFAULTS.stepPercent,
      stepBakeTimeInMinutes: minutes(linear.stepBakeTimeInMinutes, 'linearConfiguration.stepBakeTimeInMinutes') ?? LINEAR_DEFAULTS.stepBakeTimeInMinutes,
    };
  }
  if (strategy === 'CANARY') {
    const canary = config.canaryConfiguration ?? {};
    out.canaryConfiguration = {
      canaryPercent: percent(canary.canaryPercent, 'canaryConfiguration.canaryPercent', 0.1) ?? CANARY_DEFAULTS.canaryPercent,
      canaryBakeTimeInMinutes: minutes(canary.canaryBakeTimeInMinutes, 'canaryConfiguration.canaryBakeTimeInMinutes') ?? CANARY_DEFAULTS.canaryBakeTimeInMinutes,
    };
  }
  return out;
}

/** Finds a Lambda function in the caller's account and Region: its ARN, or undefined. */
export type FunctionFinder = (ref: string) => string | undefined;

/** Lifecycle hooks with their timeout defaults; undefined when none were given. */
export function lifecycleHooks(
  value: DeploymentLifecycleHook[] | undefined, strategy: Strategy, findFunction: FunctionFinder,
): DeploymentLifecycleHook[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw errors.invalid('lifecycleHooks must be a list.');
  if (value.length === 0) return [];
  if (strategy === 'ROLLING') throw errors.invalid('Lifecycle hooks are supported only with the BLUE_GREEN, LINEAR and CANARY deployment strategies.');
  return value.map((hook: DeploymentLifecycleHook | null) => {
    if (typeof hook !== 'object' || hook === null || Array.isArray(hook)) throw errors.invalid('lifecycleHooks must be a list of hook objects.');
    const targetType = hook.targetType ?? 'AWS_LAMBDA';
    if (targetType !== 'AWS_LAMBDA' && targetType !== 'PAUSE') throw errors.invalid('lifecycleHooks.targetType must be AWS_LAMBDA or PAUSE.');
    const stages = hook.lifecycleStages ?? [];
    if (!Array.isArray(stages) || stages.length === 0) throw errors.invalid('lifecycleHooks.lifecycleStages should not be null or empty.');
    for (const stage of stages) {
      if (!HOOKABLE_STAGES.includes(stage as ProgressiveStage)) {
        throw errors.invalid(`Invalid lifecycle stage ${String(stage)}; valid stages are ${HOOKABLE_STAGES.join(', ')}.`);
      }
      if (targetType === 'PAUSE' && PAUSE_FORBIDDEN_STAGES.includes(stage as ProgressiveStage)) {
        throw errors.invalid(`PAUSE lifecycle hooks are not supported at the ${stage} stage.`);
      }
    }
    if (targetType === 'AWS_LAMBDA') {
      if (!hook.hookTargetArn) throw errors.invalid('hookTargetArn is required when targetType is AWS_LAMBDA.');
      if (!LAMBDA_ARN.test(hook.hookTargetArn)) throw errors.invalid(`hookTargetArn ${hook.hookTargetArn} is not a valid Lambda function ARN.`);
      if (!findFunction(hook.hookTargetArn)) throw errors.invalid(`The Lambda function ${hook.hookTargetArn} does not exist.`);
    }
    const timeout = hook.timeoutConfiguration ?? {};
    const timeoutInMinutes = timeout.timeoutInMinutes ?? HOOK_TIMEOUT_DEFAULT_MINUTES;
    if (!Number.isInteger(timeoutInMinutes) || timeoutInMinutes < 1 || timeoutInMinutes > HOOK_TIMEOUT_MAX_MINUTES) {
      throw errors.invalid(`timeoutConfiguration.timeoutInMinutes must be an integer from 1 to ${HOOK_TIMEOUT_MAX_MINUTES}.`);
    }
    const action = timeout.action ?? 'ROLLBACK';
    if (action !== 'ROLLBACK' && action !== 'CONTINUE') throw errors.invalid('timeoutConfiguration.action must be ROLLBACK or CONTINUE.');
    return { ...hook, targetType, lifecycleStages: stages, timeoutConfiguration: { timeoutInMinutes, action } };
  });
}
