import { RolloutError } from '../../spec/errors.js';
import type { CanaryContext } from './context.js';
import { healthyCount } from './decisions.js';
import { readSplit, routeLabel, showsPercent, withCanaryPercent, type Split } from './route.js';

/** The route's split as the load balancer shows it now. */
export async function readCurrentSplit(ctx: CanaryContext): Promise<Split> {
  const { ports, route, stable, canary, signal } = ctx;
  const found = await ports.loadBalancers.readRouteActions(route, signal);
  if (!found) throw new RolloutError('AwsRequestFailed', `${routeLabel(route)} no longer exists`);
  const reading = readSplit(found.actions, stable.targetGroupArn, canary.targetGroupArn);
  if (!reading.ok) throw new RolloutError('AwsRequestFailed', `${routeLabel(route)} changed under the canary: ${reading.problem}`);
  return reading.split;
}

/**
 * Gives the canary `canaryPercent` and the stable the rest in one write
 * (ModifyRule, or ModifyListener for a default action), then reads the
 * route back until it shows exactly that: only a confirmed split counts.
 */
export async function shiftTraffic(ctx: CanaryContext, canaryPercent: number): Promise<void> {
  const { ports, route, stable, canary, signal, clock } = ctx;
  const found = await ports.loadBalancers.readRouteActions(route, signal);
  if (!found) throw new RolloutError('AwsRequestFailed', `${routeLabel(route)} no longer exists`);
  const reading = readSplit(found.actions, stable.targetGroupArn, canary.targetGroupArn);
  if (!reading.ok) throw new RolloutError('AwsRequestFailed', `${routeLabel(route)} changed under the canary: ${reading.problem}`);
  const confirmed = (): void => ctx.emit({ type: 'weights-changed', route: route.arn, stable: 100 - canaryPercent, canary: canaryPercent, confirmed: true });
  if (showsPercent(found.actions, stable.targetGroupArn, canary.targetGroupArn, canaryPercent)) return confirmed();

  await ports.loadBalancers.writeRouteActions(route, withCanaryPercent(found.actions, stable.targetGroupArn, canary.targetGroupArn, canaryPercent), signal);
  const deadline = clock.now() + ctx.timeoutMs;
  for (;;) {
    const seen = await ports.loadBalancers.readRouteActions(route, signal);
    if (seen && showsPercent(seen.actions, stable.targetGroupArn, canary.targetGroupArn, canaryPercent)) return confirmed();
    if (clock.now() >= deadline) {
      const now = seen ? readSplit(seen.actions, stable.targetGroupArn, canary.targetGroupArn) : undefined;
      const shown = now?.ok ? `stable ${now.split.stableWeight} / canary ${now.split.canaryWeight}` : now ? now.problem : 'nothing (it is gone)';
      throw new RolloutError('AwsRequestFailed', `${routeLabel(route)} still shows ${shown} after setting stable ${100 - canaryPercent} / canary ${canaryPercent}`);
    }
    await clock.sleep(ctx.pollIntervalMs, signal);
  }
}

/** Healthy targets in each target group of the pair. */
export async function pairHealth(ctx: CanaryContext): Promise<{ canaryHealthy: number; stableHealthy: number }> {
  const { ports, signal } = ctx;
  const [canaryTargets, stableTargets] = await Promise.all([
    ports.loadBalancers.readTargetHealth(ctx.canary.targetGroupArn, signal),
    ports.loadBalancers.readTargetHealth(ctx.stable.targetGroupArn, signal),
  ]);
  return { canaryHealthy: healthyCount(canaryTargets), stableHealthy: healthyCount(stableTargets) };
}
