import type { LoadBalancer } from '@aws-sdk/client-ecs';
import type { Action, TargetGroupTuple } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { TrafficRoute } from '../../spec/alb-canary.js';

/**
 * The listener rule (or listener default action) the canary moves, read and
 * rewritten as data: which share each target group gets, and the actions
 * that give them a new share with everything else kept as it was.
 */

export interface Split {
  stableWeight: number;
  canaryWeight: number;
  /** The canary's share in percent, rounded. */
  canaryPercent: number;
}

export type SplitReading = { ok: true; split: Split } | { ok: false; problem: string };

/** How the route's forward action shares traffic between the two target groups. */
export function readSplit(actions: readonly Action[], stableTg: string, canaryTg: string): SplitReading {
  const forwards = actions.filter((a) => a.Type === 'forward');
  if (forwards.length === 0) {
    const types = actions.map((a) => a.Type ?? '?').join(', ') || 'none';
    return { ok: false, problem: `it does not forward (its actions: ${types})` };
  }
  const groups = groupsOf(forwards[0] as Action);
  const arns = groups.map((g) => g.TargetGroupArn ?? '');
  const both = arns.length === 2 && arns.includes(stableTg) && arns.includes(canaryTg);
  if (!both) {
    return { ok: false, problem: `it forwards to ${arns.map(targetGroupName).join(' and ') || 'no target group'}, not to exactly ${targetGroupName(stableTg)} (stable) and ${targetGroupName(canaryTg)} (canary)` };
  }
  const weightOf = (arn: string): number => groups.find((g) => g.TargetGroupArn === arn)?.Weight ?? 1;
  const stableWeight = weightOf(stableTg);
  const canaryWeight = weightOf(canaryTg);
  if (stableWeight + canaryWeight === 0) return { ok: false, problem: 'both target groups have weight 0, so it serves nothing' };
  return { ok: true, split: { stableWeight, canaryWeight, canaryPercent: Math.round((canaryWeight * 100) / (stableWeight + canaryWeight)) } };
}

/**
 * The same actions with the forward giving the canary `canaryPercent` and the
 * stable the rest; order, stickiness and any other action are kept.
 */
export function withCanaryPercent(actions: readonly Action[], stableTg: string, canaryTg: string, canaryPercent: number): Action[] {
  let done = false;
  return actions.map((action) => {
    if (action.Type !== 'forward' || done) return action;
    done = true;
    const { TargetGroupArn: _single, ForwardConfig, ...rest } = action;
    const targetGroups: TargetGroupTuple[] = [
      { TargetGroupArn: stableTg, Weight: 100 - canaryPercent },
      { TargetGroupArn: canaryTg, Weight: canaryPercent },
    ];
    return { ...rest, ForwardConfig: { ...ForwardConfig, TargetGroups: targetGroups } };
  });
}

/** Whether what the load balancer shows is exactly the split we asked for. */
export function showsPercent(actions: readonly Action[], stableTg: string, canaryTg: string, canaryPercent: number): boolean {
  const reading = readSplit(actions, stableTg, canaryTg);
  return reading.ok && reading.split.canaryWeight === canaryPercent && reading.split.stableWeight === 100 - canaryPercent;
}

/** Of a service's target groups (its loadBalancers), the one the route forwards to. */
export function routedTargetGroup(loadBalancers: readonly LoadBalancer[], actions: readonly Action[]): string | undefined {
  const routed = new Set(actions.flatMap((a) => (a.Type === 'forward' ? groupsOf(a).map((g) => g.TargetGroupArn) : [])));
  return loadBalancers.map((lb) => lb.targetGroupArn).find((arn): arn is string => arn !== undefined && routed.has(arn));
}

function groupsOf(forward: Action): TargetGroupTuple[] {
  const tuples = forward.ForwardConfig?.TargetGroups ?? [];
  if (tuples.length > 0) return tuples;
  return forward.TargetGroupArn ? [{ TargetGroupArn: forward.TargetGroupArn, Weight: 1 }] : [];
}

/** "targetgroup/web-canary/0123abcd": the TargetGroup dimension of ALB metrics in CloudWatch. */
export function targetGroupDimension(targetGroupArn: string): string {
  const at = targetGroupArn.indexOf(':targetgroup/');
  return at >= 0 ? targetGroupArn.slice(at + 1) : targetGroupArn;
}

/** "app/web/50dc6c495c0c9188": the LoadBalancer dimension, from a listener or listener rule ARN. */
export function loadBalancerDimension(route: TrafficRoute): string {
  const m = /:listener(?:-rule)?\/((?:app|net|gwy)\/[^/]+\/[^/]+)\//.exec(route.arn);
  return m?.[1] ?? '';
}

/** A target group's name, from its ARN. */
export function targetGroupName(targetGroupArn: string): string {
  return /:targetgroup\/([^/]+)\//.exec(targetGroupArn)?.[1] ?? targetGroupArn;
}

/** "listener rule <arn>" or "the default action of listener <arn>", for messages. */
export function routeLabel(route: TrafficRoute): string {
  return route.kind === 'rule' ? `listener rule ${route.arn}` : `the default action of listener ${route.arn}`;
}
