import type { Elbv2Context } from './context.js';
import type { LoadBalancingPlane, Scope, TargetGroupView, TargetHealthView, TargetRef } from './load-balancing-plane.js';
import { loadBalancerArnsOf } from './views.js';

/** The LoadBalancingPlane ECS uses, on the same store and draining rules as the ELBv2 API. */
export function createPlane(c: Elbv2Context): LoadBalancingPlane {
  const group = (scope: Scope, arn: string) => c.scope(scope).targetGroups.get(arn);
  return {
    describeTargetGroup(scope, arn): TargetGroupView | undefined {
      const found = group(scope, arn);
      if (!found) return undefined;
      return { arn: found.arn, name: found.name, port: found.port, loadBalancerArns: loadBalancerArnsOf(c.scope(scope), arn) };
    },
    registerTarget(scope, target: TargetRef) {
      const found = group(scope, target.targetGroupArn);
      if (!found) return;
      c.register(found, [{ id: target.id, port: target.port, availabilityZone: undefined }]);
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
  };
}
