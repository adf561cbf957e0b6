import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { TEST_CREDENTIALS, TEST_REGION, uniqueName } from './clients.js';

/**
 * A CloudWatch alarm on a 5xx count that no data reaches, so only `fire()`
 * (SetAlarmState ALARM) changes it: TreatMissingData `ignore` keeps the
 * state SetAlarmState gives, as in AWS. The client closes when the test ends.
 */
export async function idleAlarm(
  t: { after: (fn: () => Promise<void>) => void }, endpoint: string, evaluationPeriods = 1,
): Promise<{ name: string; fire: (reason: string) => Promise<void> }> {
  const cloudWatch = new CloudWatchClient({ endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
  t.after(async () => cloudWatch.destroy());
  const name = uniqueName('web-5xx');
  await cloudWatch.send(new PutMetricAlarmCommand({
    AlarmName: name, Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Statistic: 'Sum',
    Period: 60, EvaluationPeriods: evaluationPeriods, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'ignore',
  }));
  return {
    name,
    fire: async (reason) => {
      await cloudWatch.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: 'ALARM', StateReason: reason }));
    },
  };
}

/**
 * A CloudWatch alarm on the 5xx answers the load balancer really proxied
 * (AWS/ApplicationELB HTTPCode_Target_5XX_Count, Sum over a minute, more
 * than `threshold`), for the load balancer a listener rule belongs to.
 */
export async function loadBalancer5xxAlarm(
  t: { after: (fn: () => Promise<void>) => void }, endpoint: string, listenerRuleArn: string, threshold = 5,
): Promise<string> {
  const cloudWatch = new CloudWatchClient({ endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
  t.after(async () => cloudWatch.destroy());
  // listener-rule/app/NAME/ID/LISTENER/RULE: the LoadBalancer dimension is app/NAME/ID.
  const loadBalancer = (listenerRuleArn.split(':listener-rule/')[1] ?? '').split('/').slice(0, 3).join('/');
  const name = uniqueName('lb-5xx');
  await cloudWatch.send(new PutMetricAlarmCommand({
    AlarmName: name, Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Dimensions: [{ Name: 'LoadBalancer', Value: loadBalancer }],
    Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: threshold, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching',
  }));
  return name;
}
