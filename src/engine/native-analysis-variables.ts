import type { LoadBalancer } from '@aws-sdk/client-ecs';
import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AnalysisVariables } from '../analysis/contract.js';
import { loadBalancerDimension, targetGroupDimension } from './alb-canary/route.js';
import type { NativeSnapshot } from './strategies/native-observation.js';

/**
 * The {{variables}} an analysis gate sees at a PAUSE hook of a blue/green,
 * canary or linear deployment: what ECS's service deployment shows, plus
 * the target groups `routeVariables` found before it began. The target
 * revision is the canary, the first source revision the stable one. Pure.
 */
export function nativeAnalysisVariables(input: {
  cluster: string; service: string; snapshot: NativeSnapshot; step: number; route?: Readonly<Record<string, string>> | undefined;
}): AnalysisVariables {
  const { snapshot } = input;
  const target = snapshot.revisions.find((r) => r.role === 'target');
  const source = snapshot.revisions.find((r) => r.role === 'source');
  const variables: Record<string, string> = {
    cluster: input.cluster,
    service: input.service,
    'canary.service': input.service,
    'stable.service': input.service,
    step: String(input.step),
    'canary.weight': String(snapshot.productionWeight ?? 0),
    ...input.route,
  };
  if (snapshot.stage !== undefined) variables.stage = snapshot.stage;
  if (target?.taskDefinitionArn) variables['canary.taskDefinition'] = target.taskDefinitionArn;
  if (source?.taskDefinitionArn) variables['stable.taskDefinition'] = source.taskDefinitionArn;
  return variables;
}

/**
 * Which target group the new revision will run in, read before the
 * deployment starts: ECS puts green in whichever of the pair the production
 * rule does not send traffic to now. Gives `stable.targetGroup`,
 * `canary.targetGroup` and `loadBalancer` in CloudWatch's dimension form;
 * empty when the service has no such pair or the rule forwards elsewhere.
 */
export function routeVariables(loadBalancers: readonly LoadBalancer[], productionActions: readonly Action[]): Record<string, string> {
  const pair = loadBalancers.find((lb) => lb.targetGroupArn && lb.advancedConfiguration?.alternateTargetGroupArn && lb.advancedConfiguration.productionListenerRule);
  const primary = pair?.targetGroupArn;
  const alternate = pair?.advancedConfiguration?.alternateTargetGroupArn;
  const rule = pair?.advancedConfiguration?.productionListenerRule;
  if (!primary || !alternate || !rule) return {};
  const weightOf = (arn: string): number =>
    productionActions
      .filter((a) => a.Type === 'forward')
      .flatMap((a) => a.ForwardConfig?.TargetGroups ?? (a.TargetGroupArn ? [{ TargetGroupArn: a.TargetGroupArn, Weight: 1 }] : []))
      .filter((g) => g.TargetGroupArn === arn)
      .reduce((sum, g) => sum + (g.Weight ?? 1), 0);
  const [stable, canary] = weightOf(alternate) > weightOf(primary) ? [alternate, primary] : [primary, alternate];
  if (weightOf(stable) === 0) return {};
  const loadBalancer = loadBalancerDimension({ kind: rule.includes(':listener-rule/') ? 'rule' : 'listener', arn: rule });
  return {
    'stable.targetGroup': targetGroupDimension(stable),
    'canary.targetGroup': targetGroupDimension(canary),
    ...(loadBalancer ? { loadBalancer } : {}),
  };
}
