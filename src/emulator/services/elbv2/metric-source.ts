import type { LoadBalancerDataPlane } from '../../runtime/load-balancer/data-plane.js';
import type { ElbMetricSource } from '../../runtime/metrics/elb-metric-publisher.js';
import type { Elbv2Context } from './context.js';
import { loadBalancerArnsOf } from './views.js';

/** What the metric publisher reads: the data plane's counters, and target health as DescribeTargetHealth shows it. */
export function elbMetricSource(context: Elbv2Context, dataPlane: LoadBalancerDataPlane): ElbMetricSource {
  const { store } = context;
  return {
    traffic: () => dataPlane.metrics.snapshot(),
    targetGroupHealth() {
      const out: ReturnType<ElbMetricSource['targetGroupHealth']> = [];
      for (const scope of store.allScopes()) {
        for (const group of scope.targetGroups.values()) {
          if (!group.healthCheck.enabled) continue;
          const loadBalancerArns = loadBalancerArnsOf(scope, group.arn);
          if (loadBalancerArns.length === 0) continue;
          let healthy = 0;
          let unhealthy = 0;
          for (const target of group.targets) {
            const state = context.health(scope, group, target).state;
            if (state === 'healthy') healthy += 1;
            else if (state === 'unhealthy') unhealthy += 1;
          }
          for (const loadBalancerArn of loadBalancerArns) out.push({ loadBalancerArn, targetGroupArn: group.arn, healthy, unhealthy });
        }
      }
      return out;
    },
    loadBalancerOf(targetGroupArn) {
      const found = store.findTargetGroup(targetGroupArn);
      return found && loadBalancerArnsOf(found.scope, targetGroupArn)[0];
    },
  };
}
