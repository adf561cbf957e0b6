import {
  DescribeListenersCommand, DescribeRulesCommand, DescribeTargetHealthCommand, ModifyListenerCommand, ModifyRuleCommand,
  type Action, type ElasticLoadBalancingV2Client, type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { LoadBalancerPort, RouteActions } from '../engine/ports.js';
import type { TrafficRoute } from '../spec/alb-canary.js';

/** Listener rules, listeners and target health over an SDK v3 ELBv2 client. */
export class Elbv2Routes implements LoadBalancerPort {
  constructor(private readonly elbv2: ElasticLoadBalancingV2Client) {}

  async readRouteActions(route: TrafficRoute, signal?: AbortSignal): Promise<RouteActions | undefined> {
    try {
      if (route.kind === 'rule') {
        const out = await this.elbv2.send(new DescribeRulesCommand({ RuleArns: [route.arn] }), { abortSignal: signal });
        const rule = out.Rules?.[0];
        return rule ? { actions: rule.Actions ?? [], isDefaultRule: rule.IsDefault === true } : undefined;
      }
      const out = await this.elbv2.send(new DescribeListenersCommand({ ListenerArns: [route.arn] }), { abortSignal: signal });
      const listener = out.Listeners?.[0];
      return listener ? { actions: listener.DefaultActions ?? [], isDefaultRule: false } : undefined;
    } catch (err) {
      if (err instanceof Error && (err.name === 'RuleNotFoundException' || err.name === 'ListenerNotFoundException')) return undefined;
      throw err;
    }
  }

  async writeRouteActions(route: TrafficRoute, actions: readonly Action[], signal?: AbortSignal): Promise<void> {
    if (route.kind === 'rule') await this.elbv2.send(new ModifyRuleCommand({ RuleArn: route.arn, Actions: [...actions] }), { abortSignal: signal });
    else await this.elbv2.send(new ModifyListenerCommand({ ListenerArn: route.arn, DefaultActions: [...actions] }), { abortSignal: signal });
  }

  async readTargetHealth(targetGroupArn: string, signal?: AbortSignal): Promise<TargetHealthDescription[]> {
    const out = await this.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }), { abortSignal: signal });
    return out.TargetHealthDescriptions ?? [];
  }
}
