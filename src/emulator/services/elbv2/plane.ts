import type { Elbv2Context } from './context.js';
import type { ForwardWeight, LoadBalancingPlane, Scope, TargetGroupView, TargetHealthView, TargetRef } from './load-balancing-plane.js';
import type { StoredAction } from './model.js';
import { loadBalancerArnsOf } from './views.js';

/** The LoadBalancingPlane ECS uses, on the same store and draining rules as the ELBv2 API. */
export function createPlane(c: Elbv2Context): LoadBalancingPlane {
  const group = (scope: Scope, arn: string) => c.scope(scope).targetGroups.get(arn);
  /** The terminal forward action of a rule, a default rule or a listener. */
  const forwardOf = (scope: Scope, arn: string): Extract<StoredAction, { type: 'forward' }> | undefined => {
    const state = c.scope(scope);
    const listener = state.listeners.get(arn) ?? [...state.listeners.values()].find((l) => l.defaultRuleArn === arn);
    const actions = state.rules.get(arn)?.actions ?? listener?.defaultActions ?? [];
    const terminal = [...actions].sort((a, b) => (a.order ?? 50000) - (b.order ?? 50000)).at(-1);
    return terminal?.type === 'forward' ? terminal : undefined;
  };
  return {
    describeTargetGroup(scope, arn): TargetGroupView | undefined {
      const found = group(scope, arn);
      if (!found) return undefined;
      return { arn: found.arn, name: found.name, port: found.port, loadBalancerArns: loadBalancerArnsOf(c.scope(scope), arn) };
    },
    targetGroupArnByName(scope, name) {
      return [...c.scope(scope).targetGroups.values()].find((g) => g.name === name)?.arn;
    },
    registerTarget(scope, target: TargetRef) {
      const found = group(scope, target.targetGroupArn);
      if (!found) return;
      c.register(found, [{ id: target.id, port: target.port, availabilityZone: undefined, ecsTask: true }]);
    },
    deregisterTarget(scope, target: TargetRef) {
      const found = group(scope, target.targetGroupArn);
      if (!found) return;
      c.deregister(found, [{ id: target.id, port: target.port }]);
    },
    targetHealth(scope, target: TargetRef): TargetHealthView | undefined {
      const found = group(scope, target.targetGroupArn);
      const stored = found?.targets.find((t) => t.id === target.id && t.port === target.port);
      if (!found || !stored) return undefined;
      return c.health(c.scope(scope), found, stored);
    },
    forwardWeights(scope, arn): ForwardWeight[] | undefined {
      return forwardOf(scope, arn)?.groups.map((g) => ({ targetGroupArn: g.targetGroupArn, weight: g.weight }));
    },
    setForwardWeights(scope, arn, weights) {
      const forward = forwardOf(scope, arn);
      if (!forward) return false;
      forward.groups = weights.map((w) => ({ targetGroupArn: w.targetGroupArn, weight: w.weight }));
      c.changed();
      c.markDirty();
      return true;
    },
  };
}
