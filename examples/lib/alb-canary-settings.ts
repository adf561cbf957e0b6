import type { AlbCanaryStack } from './alb-canary-stack.js';

/** The target group's 5xx share of its requests, in percent, as GetMetricData metric math over the ALB's per-target-group metrics. */
function errorRateQueries(indent: string): string[] {
  const metric = (id: string, name: string) => [
    `- id: ${id}`,
    '  metricStat:',
    `    metric: { namespace: AWS/ApplicationELB, metricName: ${name}, dimensions: [{ name: TargetGroup, value: "{{canary.targetGroup}}" }, { name: LoadBalancer, value: "{{loadBalancer}}" }] }`,
    '    stat: Sum',
    '  returnData: false',
  ];
  return [
    ...metric('errors', 'HTTPCode_Target_5XX_Count'),
    ...metric('requests', 'RequestCount'),
    '- id: rate',
    '  expression: 100 * FILL(errors, 0) / requests',
  ].map((line) => `${indent}${line}`);
}

/** The `strategy:` block of ecs-rollout.yaml for the tool's own canary on an AlbCanaryStack, with these steps. */
export function albCanaryStrategy(stack: AlbCanaryStack, steps: readonly string[]): string[] {
  return [
    'strategy:',
    '  type: canary',
    '  executor: alb',
    '  alb:',
    `    listenerRule: ${stack.ruleArn}`,
    `    canaryService: ${stack.canaryService}`,
    '  steps:',
    ...steps.map((step) => `    - ${step}`),
  ];
}

/**
 * ecs-rollout.yaml for the tool's own canary on an AlbCanaryStack: 20% then
 * 50% of the listener rule's traffic, each step judged by the canary's 5xx
 * rate against the stable's over the same minutes, measured by CloudWatch
 * from the requests the load balancer really proxied. A canary more than
 * one point worse than stable is rolled back.
 */
export function albCanarySettings(stack: AlbCanaryStack, options: { interval: string; count: number }): string {
  // The first measurement may come before the step's first whole minute has ended: no data yet, allowed once.
  return [
    ...albCanaryStrategy(stack, ['setWeight: 20', 'analysis: errors', 'setWeight: 50', 'analysis: errors']),
    'analysis:',
    '  errors:',
    '    onFailure: rollback',
    '    metrics:',
    '      - name: 5xx-rate-vs-stable',
    `        interval: ${options.interval}`,
    `        count: ${options.count}`,
    `        initialDelay: ${options.interval}`,
    '        compare: stable',
    '        failureCondition: canary > stable + 1',
    '        inconclusiveLimit: 1',
    '        cloudwatch:',
    '          period: 60',
    '          window: 2m',
    '          queries:',
    ...errorRateQueries('            '),
  ].join('\n');
}
