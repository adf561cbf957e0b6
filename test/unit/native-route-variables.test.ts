import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LoadBalancer } from '@aws-sdk/client-ecs';
import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { routeVariables, routeVariablesDuring } from '../../src/engine/native-analysis-variables.js';

const TG = (name: string, id: string) => `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}/${id}`;
const RULE = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee';
const blue = TG('shop-blue', '6d0ecf831eec9f09');
const green = TG('shop-green', '73e2d6bc24d8a067');
const pair: LoadBalancer[] = [{
  targetGroupArn: blue, containerName: 'app', containerPort: 8080,
  advancedConfiguration: { alternateTargetGroupArn: green, productionListenerRule: RULE, roleArn: 'arn:aws:iam::123456789012:role/ecs-lb' },
}];
const forward = (weights: Array<[string, number]>): Action[] => [{ Type: 'forward', ForwardConfig: { TargetGroups: weights.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })) } }];

test('route variables: the group production serves now is stable, the other one takes the new revision', () => {
  const expected = (stable: string, canary: string) => ({
    'stable.targetGroup': `targetgroup/${stable}`, 'canary.targetGroup': `targetgroup/${canary}`, loadBalancer: 'app/shop/50dc6c495c0c9188',
  });
  const cases: Array<[string, Action[], Record<string, string>]> = [
    ['blue serves', forward([[blue, 100], [green, 0]]), expected('shop-blue/6d0ecf831eec9f09', 'shop-green/73e2d6bc24d8a067')],
    ['the last deployment left production on the alternate group', forward([[blue, 0], [green, 100]]), expected('shop-green/73e2d6bc24d8a067', 'shop-blue/6d0ecf831eec9f09')],
    ['a plain forward to one group', [{ Type: 'forward', TargetGroupArn: blue }], expected('shop-blue/6d0ecf831eec9f09', 'shop-green/73e2d6bc24d8a067')],
    ['the rule forwards to neither group of the pair', forward([[TG('other', '1'), 100]]), {}],
    ['the rule answers by itself', [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503' } }], {}],
  ];
  for (const [name, actions, want] of cases) assert.deepEqual(routeVariables(pair, actions), want, name);
  assert.deepEqual(routeVariables([{ targetGroupArn: blue }], forward([[blue, 100]])), {}, 'no blue/green pair: nothing to name');
});

test('route variables during a deployment (resume): the canary is the group whose production share ECS asked for; at 50/50 the one the test rule sends to', () => {
  const expected = (stable: string, canary: string) => ({
    'stable.targetGroup': `targetgroup/${stable}`, 'canary.targetGroup': `targetgroup/${canary}`, loadBalancer: 'app/shop/50dc6c495c0c9188',
  });
  const BLUE = 'shop-blue/6d0ecf831eec9f09';
  const GREEN = 'shop-green/73e2d6bc24d8a067';
  const cases: Array<[string, Action[], Action[] | undefined, number | undefined, Record<string, string>]> = [
    ['before production moves: green has 0 of it', forward([[blue, 100], [green, 0]]), forward([[blue, 0], [green, 100]]), 0, expected(BLUE, GREEN)],
    ['a 10% canary on green', forward([[blue, 90], [green, 10]]), undefined, 10, expected(BLUE, GREEN)],
    ['a linear step past half, on blue this time', forward([[blue, 75], [green, 25]]), undefined, 75, expected(GREEN, BLUE)],
    ['all of production moved to green (bake)', forward([[blue, 0], [green, 100]]), undefined, 100, expected(BLUE, GREEN)],
    ['50/50: the test rule tells', forward([[blue, 50], [green, 50]]), forward([[blue, 0], [green, 100]]), 50, expected(BLUE, GREEN)],
    ['50/50 with no test rule: cannot tell', forward([[blue, 50], [green, 50]]), undefined, 50, {}],
    ['no weight reported', forward([[blue, 90], [green, 10]]), undefined, undefined, {}],
  ];
  for (const [name, production, testRule, weight, want] of cases) assert.deepEqual(routeVariablesDuring(pair, production, testRule, weight), want, name);
});
