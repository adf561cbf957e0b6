import type { DeploymentConfiguration, DeploymentLifecycleHook, LoadBalancer, Service } from '@aws-sdk/client-ecs';
import { RolloutError } from '../../spec/errors.js';
import { ECS_STRATEGY, gateBudgetMs, wholeMinutes, type Gate, type HookConfig, type StrategyConfig, type StrategyName } from '../../spec/strategy.js';

/** Marks the PAUSE hooks this tool adds, so a later deploy replaces them and leaves the user's own hooks alone. */
export const MANAGED_HOOK_MARK = 'ecs-rollout';
/** hookDetails.purpose of the PAUSE hook that holds a promotable bake. */
export const BAKE_HOOK_PURPOSE = 'bake';
/** The stage a promotable bake waits at: production has moved and the old revision is still running. */
export const BAKE_HOOK_STAGE = 'POST_PRODUCTION_TRAFFIC_SHIFT';

/** ECS's documented defaults, used when neither the file nor the service says otherwise. */
export const ECS_DEFAULTS = { canaryPercent: 5, canaryBakeMinutes: 10, linearStepPercent: 10, linearStepBakeMinutes: 6 } as const;
/** Added to a PAUSE hook's timeout beyond its gates' worst case: if the tool dies, ECS rolls back after this, not after a day. */
export const HOOK_TIMEOUT_MARGIN_MINUTES = 10;

export interface NativePlan {
  strategy: StrategyName;
  deploymentConfiguration: DeploymentConfiguration;
  /** Undefined when the service's load balancers need no change. */
  loadBalancers: LoadBalancer[] | undefined;
  /** What will be set, one line each, for the log. */
  settings: string[];
  /** What the user should know: rounding, defaults taken from the service. */
  notes: string[];
}

/**
 * The deployment configuration (and load balancer wiring) a deploy sends in
 * the UpdateService that starts it. Pure. Keeps what the service already has
 * (circuit breaker, percents, the user's own hooks) and sets what the
 * strategy needs; throws a PreflightFailed user error naming the missing
 * field when the service cannot run the strategy.
 */
export function planNativeDeployment(strategy: StrategyName, config: StrategyConfig | undefined, gates: readonly Gate[], service: Service): NativePlan {
  const current = service.deploymentConfiguration ?? {};
  const settings: string[] = [`strategy ${ECS_STRATEGY[strategy]}`];
  const notes: string[] = [];
  const next: DeploymentConfiguration = { ...current, strategy: ECS_STRATEGY[strategy] };
  const minutes = (field: string, value: string | undefined): number | undefined => {
    const whole = wholeMinutes(value);
    if (whole?.rounded) notes.push(`${field} ${value} rounded up to ${whole.minutes}m: ECS takes whole minutes`);
    return whole?.minutes;
  };

  if (strategy === 'rolling') {
    delete next.canaryConfiguration;
    delete next.linearConfiguration;
    if (config?.promotableBake) notes.push('promotableBake applies to blue-green, canary and linear (rolling updates have no bake); ignored');
  } else if (config?.promotableBake) {
    const bake = minutes('bake', config.bake);
    if (bake === undefined) throw new RolloutError('InvalidConfig', 'strategy.promotableBake needs strategy.bake: how long to bake before the deployment completes on its own (for example bake: 15m)');
    // ECS's own bake cannot be ended early; a PAUSE hook that times out into CONTINUE waits just as long and can.
    next.bakeTimeInMinutes = 0;
    if (bake > 0) settings.push(`bake ${bake}m as a PAUSE hook at ${BAKE_HOOK_STAGE} that continues on its own (ecs-rollout promote ends it early)`);
  } else {
    const bake = minutes('bake', config?.bake) ?? current.bakeTimeInMinutes;
    if (bake === undefined) settings.push('bake: ECS default (set strategy.bake)');
    else {
      next.bakeTimeInMinutes = bake;
      settings.push(`bake ${bake}m`);
    }
  }
  if (strategy === 'canary') {
    const canaryPercent = config?.canary?.percent ?? current.canaryConfiguration?.canaryPercent ?? ECS_DEFAULTS.canaryPercent;
    const canaryBakeTimeInMinutes = minutes('canary.bake', config?.canary?.bake) ?? current.canaryConfiguration?.canaryBakeTimeInMinutes ?? ECS_DEFAULTS.canaryBakeMinutes;
    next.canaryConfiguration = { canaryPercent, canaryBakeTimeInMinutes };
    delete next.linearConfiguration;
    settings.push(`canary ${canaryPercent}% for ${canaryBakeTimeInMinutes}m, then 100%`);
  }
  if (strategy === 'linear') {
    const stepPercent = config?.linear?.stepPercent ?? current.linearConfiguration?.stepPercent ?? ECS_DEFAULTS.linearStepPercent;
    const stepBakeTimeInMinutes = minutes('linear.stepBake', config?.linear?.stepBake) ?? current.linearConfiguration?.stepBakeTimeInMinutes ?? ECS_DEFAULTS.linearStepBakeMinutes;
    next.linearConfiguration = { stepPercent, stepBakeTimeInMinutes };
    delete next.canaryConfiguration;
    settings.push(`linear ${stepPercent}% every ${stepBakeTimeInMinutes}m`);
  }
  if (strategy === 'blue-green') {
    delete next.canaryConfiguration;
    delete next.linearConfiguration;
  }

  if (config?.alarms?.names) {
    next.alarms = { alarmNames: [...config.alarms.names], enable: true, rollback: config.alarms.rollback ?? true };
    settings.push(`alarms ${config.alarms.names.join(', ')} (${next.alarms.rollback ? 'roll back' : 'fail'} on ALARM)`);
  }

  const serviceHooks = (current.lifecycleHooks ?? []).filter((h) => !isManagedHook(h));
  const userHooks = config?.hooks ? config.hooks.map(toLifecycleHook) : serviceHooks;
  if (config?.hooks && strategy !== 'rolling') {
    for (const hook of config.hooks) settings.push(`hook ${describeHook(hook)}`);
    if (serviceHooks.length) notes.push(`strategy.hooks replaces the service's ${serviceHooks.length} lifecycle hook(s)`);
  }
  const bakeMinutes = config?.promotableBake ? wholeMinutes(config.bake)?.minutes ?? 0 : 0;
  const gateHooks = strategy === 'rolling' ? [] : [...pauseHooksFor(gates), ...(bakeMinutes > 0 ? [bakeHook(bakeMinutes)] : [])];
  if (strategy === 'rolling') {
    if (gates.length) notes.push('gates run only with blue-green, canary and linear (ECS has no lifecycle hooks for rolling updates); ignored');
    // ECS refuses lifecycle hooks with ROLLING.
    if (current.lifecycleHooks?.length) {
      next.lifecycleHooks = [];
      if (userHooks.length) notes.push(`the service's ${userHooks.length} lifecycle hook(s) are removed: ECS runs no hooks with rolling updates`);
    }
  } else if (userHooks.length || gateHooks.length || current.lifecycleHooks) next.lifecycleHooks = [...userHooks, ...gateHooks];
  for (const hook of gateHooks.filter((h) => !isBakeHook(h))) {
    settings.push(`PAUSE hook at ${hook.lifecycleStages?.join(', ')} for gates ${gates.filter((g) => hook.lifecycleStages?.includes(g.stage)).map((g) => g.name).join(', ')} (times out after ${hook.timeoutConfiguration?.timeoutInMinutes}m: ROLLBACK)`);
  }

  const loadBalancers = strategy === 'rolling' ? undefined : planLoadBalancers(strategy, config, service, settings, notes);
  return { strategy, deploymentConfiguration: next, loadBalancers, settings, notes };
}

/** One PAUSE hook per stage that has gates; its timeout covers every gate there failing slowly. */
export function pauseHooksFor(gates: readonly Gate[]): DeploymentLifecycleHook[] {
  const stages = [...new Set(gates.map((g) => g.stage))];
  return stages.map((stage) => {
    const budget = gates.filter((g) => g.stage === stage).reduce((sum, g) => sum + gateBudgetMs(g.check), 0);
    return {
      targetType: 'PAUSE',
      lifecycleStages: [stage],
      hookDetails: { managedBy: MANAGED_HOOK_MARK },
      timeoutConfiguration: { timeoutInMinutes: Math.ceil(budget / 60_000) + HOOK_TIMEOUT_MARGIN_MINUTES, action: 'ROLLBACK' },
    };
  });
}

/** The PAUSE hook that holds a promotable bake: it times out into CONTINUE, so ECS completes the deployment if nobody promotes. */
export function bakeHook(minutes: number): DeploymentLifecycleHook {
  return {
    targetType: 'PAUSE',
    lifecycleStages: [BAKE_HOOK_STAGE],
    hookDetails: { managedBy: MANAGED_HOOK_MARK, purpose: BAKE_HOOK_PURPOSE },
    timeoutConfiguration: { timeoutInMinutes: minutes, action: 'CONTINUE' },
  };
}

export function isManagedHook(hook: DeploymentLifecycleHook): boolean {
  return hook.targetType === 'PAUSE' && detailsOf(hook).managedBy === MANAGED_HOOK_MARK;
}

export function isBakeHook(hook: DeploymentLifecycleHook): boolean {
  return isManagedHook(hook) && detailsOf(hook).purpose === BAKE_HOOK_PURPOSE;
}

/** Minutes of the promotable bake a deployment was configured with; undefined without one. */
export function promotableBakeMinutes(hooks: readonly DeploymentLifecycleHook[] | undefined): number | undefined {
  return (hooks ?? []).find(isBakeHook)?.timeoutConfiguration?.timeoutInMinutes;
}

function detailsOf(hook: DeploymentLifecycleHook): Record<string, unknown> {
  const details = hook.hookDetails;
  return typeof details === 'object' && details !== null && !Array.isArray(details) ? (details as Record<string, unknown>) : {};
}

/** A hook of the file's strategy.hooks as UpdateService takes it. */
export function toLifecycleHook(hook: HookConfig): DeploymentLifecycleHook {
  const timeoutInMinutes = wholeMinutes(hook.timeout)?.minutes;
  const action = hook.onTimeout === undefined ? undefined : hook.onTimeout === 'continue' ? 'CONTINUE' : 'ROLLBACK';
  return {
    targetType: hook.lambda !== undefined ? 'AWS_LAMBDA' : 'PAUSE',
    ...(hook.lambda !== undefined ? { hookTargetArn: hook.lambda } : {}),
    ...(hook.role !== undefined ? { roleArn: hook.role } : {}),
    lifecycleStages: [...hook.stages],
    ...(hook.details !== undefined ? { hookDetails: hook.details as DeploymentLifecycleHook['hookDetails'] } : {}),
    ...(timeoutInMinutes !== undefined || action !== undefined
      ? { timeoutConfiguration: { ...(timeoutInMinutes !== undefined ? { timeoutInMinutes } : {}), ...(action !== undefined ? { action } : {}) } }
      : {}),
  };
}

function describeHook(hook: HookConfig): string {
  const what = hook.lambda !== undefined ? `Lambda ${hook.lambda}` : 'PAUSE (waits for ecs-rollout promote)';
  const timeout = hook.timeout !== undefined || hook.onTimeout !== undefined ? ` (times out after ${hook.timeout ?? 'ECS default'}: ${(hook.onTimeout ?? 'rollback').toUpperCase()})` : '';
  return `${what} at ${hook.stages.join(', ')}${timeout}`;
}

function planLoadBalancers(strategy: StrategyName, config: StrategyConfig | undefined, service: Service, settings: string[], notes: string[]): LoadBalancer[] | undefined {
  const current = service.loadBalancers ?? [];
  const name = service.serviceName ?? 'the service';
  const [first, ...rest] = current;
  if (!first) {
    if (strategy !== 'blue-green') {
      throw new RolloutError('PreflightFailed', `${strategy} needs a load balancer: service ${name} has none (ECS shifts ${strategy} traffic through listener rules)`);
    }
    notes.push(`service ${name} has no load balancer: ECS replaces its tasks blue/green without shifting traffic`);
    return undefined;
  }
  const existing = first.advancedConfiguration ?? {};
  const advanced = {
    ...existing,
    ...(config?.alternateTargetGroup !== undefined ? { alternateTargetGroupArn: config.alternateTargetGroup } : {}),
    ...(config?.productionListenerRule !== undefined ? { productionListenerRule: config.productionListenerRule } : {}),
    ...(config?.testListenerRule !== undefined ? { testListenerRule: config.testListenerRule } : {}),
    ...(config?.loadBalancerRole !== undefined ? { roleArn: config.loadBalancerRole } : {}),
  };
  const missing = [
    advanced.alternateTargetGroupArn ? undefined : 'strategy.alternateTargetGroup',
    advanced.productionListenerRule ? undefined : 'strategy.productionListenerRule',
    // ECS assumes this role to change the listener rules; AWS requires it.
    advanced.roleArn ? undefined : 'strategy.loadBalancerRole',
  ].filter((f): f is string => f !== undefined);
  if (missing.length) {
    throw new RolloutError(
      'PreflightFailed',
      `${strategy} needs ${joinAnd(missing)} in ecs-rollout.yaml: service ${name}'s load balancer (target group ${first.targetGroupArn ?? '-'}) has no advancedConfiguration to take ${missing.length > 1 ? 'them' : 'it'} from`,
    );
  }
  for (const lb of rest) {
    if (!lb.advancedConfiguration?.alternateTargetGroupArn || !lb.advancedConfiguration.productionListenerRule || !lb.advancedConfiguration.roleArn) {
      throw new RolloutError('PreflightFailed', `${strategy}: service ${name}'s load balancer with target group ${lb.targetGroupArn ?? '-'} has no advancedConfiguration; the strategy block configures only the first one`);
    }
  }
  settings.push(`traffic: production rule ${advanced.productionListenerRule}, test rule ${advanced.testListenerRule ?? '(none)'}, blue ${first.targetGroupArn ?? '-'}, green ${advanced.alternateTargetGroupArn}`);
  if (!advanced.testListenerRule && config?.testListenerRule === undefined) notes.push('no test listener rule: the test traffic stage routes nothing to green');
  const unchanged = JSON.stringify(existing) === JSON.stringify(advanced);
  if (unchanged) return undefined;
  return [{ ...first, advancedConfiguration: advanced }, ...rest];
}

function joinAnd(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
