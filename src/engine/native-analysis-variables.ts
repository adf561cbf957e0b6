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
  const pair = blueGreenPair(loadBalancers);
  if (!pair) return {};
  const weightOf = (arn: string): number => weightIn(productionActions, arn);
  const [stable, canary] = weightOf(pair.alternate) > weightOf(pair.primary) ? [pair.alternate, pair.primary] : [pair.primary, pair.alternate];
  if (weightOf(stable) === 0) return {};
  return dimensions(stable, canary, pair.rule);
}

/**
 * The same variables for a deployment already under way (deploy --resume),
 * when the production rule may have moved: the canary is the group whose
 * share of production is what ECS asked for the new revision
 * (`canaryWeight`); when both shares are equal (50/50), the one the test
 * rule sends to. Empty when that does not tell them apart. Pure.
 */
export function routeVariablesDuring(
  loadBalancers: readonly LoadBalancer[], productionActions: readonly Action[], testActions: readonly Action[] | undefined, canaryWeight: number | undefined,
): Record<string, string> {
  const pair = blueGreenPair(loadBalancers);
  if (!pair) return {};
  const total = weightIn(productionActions, pair.primary) + weightIn(productionActions, pair.alternate);
  if (total === 0 || canaryWeight === undefined) return {};
  const share = (arn: string): number => (100 * weightIn(productionActions, arn)) / total;
  const near = (arn: string): boolean => Math.abs(share(arn) - canaryWeight) < 0.5;
  if (near(pair.primary) !== near(pair.alternate)) {
    return near(pair.alternate) ? dimensions(pair.primary, pair.alternate, pair.rule) : dimensions(pair.alternate, pair.primary, pair.rule);
  }
  const tested = (arn: string): number => (testActions ? weightIn(testActions, arn) : 0);
  if (tested(pair.primary) === tested(pair.alternate)) return {};
  return tested(pair.alternate) > tested(pair.primary) ? dimensions(pair.primary, pair.alternate, pair.rule) : dimensions(pair.alternate, pair.primary, pair.rule);
}

function blueGreenPair(loadBalancers: readonly LoadBalancer[]): { primary: string; alternate: string; rule: string; testRule: string | undefined } | undefined {
  const found = loadBalancers.find((lb) => lb.targetGroupArn && lb.advancedConfiguration?.alternateTargetGroupArn && lb.advancedConfiguration.productionListenerRule);
  const primary = found?.targetGroupArn;
  const alternate = found?.advancedConfiguration?.alternateTargetGroupArn;
  const rule = found?.advancedConfiguration?.productionListenerRule;
  if (!primary || !alternate || !rule) return undefined;
  return { primary, alternate, rule, testRule: found.advancedConfiguration?.testListenerRule };
}

/** A group's weight in a rule's forward actions (a plain forward counts 1). */
function weightIn(actions: readonly Action[], arn: string): number {
  return actions
    .filter((a) => a.Type === 'forward')
    .flatMap((a) => a.ForwardConfig?.TargetGroups ?? (a.TargetGroupArn ? [{ TargetGroupArn: a.TargetGroupArn, Weight: 1 }] : []))
    .filter((g) => g.TargetGroupArn === arn)
    .reduce((sum, g) => sum + (g.Weight ?? 1), 0);
}

function dimensions(stable: string, canary: string, rule: string): Record<string, string> {
  const loadBalancer = loadBalancerDimension({ kind: rule.includes(':listener-rule/') ? 'rule' : 'listener', arn: rule });
  return {
    'stable.targetGroup': targetGroupDimension(stable),
    'canary.targetGroup': targetGroupDimension(canary),
    ...(loadBalancer ? { loadBalancer } : {}),
  };
}

/** The test listener rule of the service's blue/green pair, if it has one. */
export function testRuleOf(loadBalancers: readonly LoadBalancer[]): string | undefined {
  return blueGreenPair(loadBalancers)?.testRule;
}
