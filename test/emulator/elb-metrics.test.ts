import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { CloudWatchClient, GetMetricDataCommand, GetMetricStatisticsCommand, type Dimension } from '@aws-sdk/client-cloudwatch';
import {
  CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, DescribeTargetHealthCommand, RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { METRIC_PERIOD_MS, periodStart } from '../../src/emulator/runtime/metrics/metric-period.js';
import { TEST_CREDENTIALS, TEST_REGION, uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';
import { pollUntil } from '../support/poll.js';
import { freePort, get } from './elbv2-harness.js';

type After = { after: (fn: () => Promise<void> | void) => void };

/** A target that answers 500 on /fail, 200 elsewhere (health checks included). */
async function startTarget(t: After): Promise<number> {
  const server: Server = createServer((req, res) => {
    res.writeHead(req.url === '/fail' ? 500 : 200, { 'content-type': 'text/plain' }).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  t.after(() => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  }));
  return (server.address() as AddressInfo).port;
}

/** The Sum of every Period=60 data point of a metric between two virtual instants. */
async function sumOf(cloudWatch: CloudWatchClient, metricName: string, dimensions: Dimension[], from: number, to: number): Promise<number> {
  const out = await cloudWatch.send(new GetMetricStatisticsCommand({
    Namespace: 'AWS/ApplicationELB',
    MetricName: metricName,
    Dimensions: dimensions,
    StartTime: new Date(from),
    EndTime: new Date(to),
    Period: 60,
    Statistics: ['Sum'],
  }));
  return (out.Datapoints ?? []).reduce((total, d) => total + (d.Sum ?? 0), 0);
}

test('ELB metrics: RequestCount and HTTPCode_Target_5XX_Count per target group are what the listener proxied', async (t) => {
  const { emulator, clients } = await startTestEmulator(t, { speed: 60 });
  const cloudWatch = new CloudWatchClient({ endpoint: emulator.url, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  t.after(() => cloudWatch.destroy());
  const { elbv2 } = clients;

  const targetPort = await startTarget(t);
  const tg = await elbv2.send(new CreateTargetGroupCommand({
    Name: uniqueName('tg'), Protocol: 'HTTP', Port: 80, VpcId: 'vpc-local', TargetType: 'ip', HealthCheckPath: '/health',
    HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2, UnhealthyThresholdCount: 2,
  }));
  const tgArn = tg.TargetGroups?.[0]?.TargetGroupArn ?? '';
  const lb = await elbv2.send(new CreateLoadBalancerCommand({ Name: uniqueName('lb'), Subnets: ['subnet-local'] }));
  const lbArn = lb.LoadBalancers?.[0]?.LoadBalancerArn ?? '';
  const port = await freePort();
  await elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: port, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] }));
  await elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: '127.0.0.1', Port: targetPort }] }));
  await pollUntil('the target healthy', 10_000, async () => {
    const health = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }));
    return health.TargetHealthDescriptions?.[0]?.TargetHealth?.State === 'healthy' ? true : undefined;
  }, 20);

  const from = emulator.clock.now();
  const statuses: number[] = [];
  for (let i = 0; i < 10; i++) statuses.push((await get(port, i % 3 === 0 ? '/fail' : '/')).status);
  const until = emulator.clock.now();
  assert.deepEqual(statuses.filter((s) => s === 500).length, 4);

  const lbDimension = lbArn.split(':loadbalancer/')[1] ?? '';
  const tgDimension = `targetgroup/${tgArn.split(':targetgroup/')[1] ?? ''}`;
  const groupDimensions = [{ Name: 'TargetGroup', Value: tgDimension }, { Name: 'LoadBalancer', Value: lbDimension }];
  const windowStart = periodStart(from) - METRIC_PERIOD_MS;
  const windowEnd = periodStart(until) + 2 * METRIC_PERIOD_MS;

  // The minute of the last request closes on the emulator's clock, then its data is there.
  await pollUntil('RequestCount of the closed minute', 15_000, async () => {
    if (emulator.clock.now() < periodStart(until) + METRIC_PERIOD_MS) return undefined;
    return (await sumOf(cloudWatch, 'RequestCount', groupDimensions, windowStart, windowEnd)) === 10 ? true : undefined;
  }, 50);
  assert.equal(await sumOf(cloudWatch, 'HTTPCode_Target_5XX_Count', groupDimensions, windowStart, windowEnd), 4);
  assert.equal(await sumOf(cloudWatch, 'HTTPCode_Target_2XX_Count', groupDimensions, windowStart, windowEnd), 6);

  const data = await cloudWatch.send(new GetMetricDataCommand({
    StartTime: new Date(windowStart),
    EndTime: new Date(windowEnd),
    MetricDataQueries: [
      { Id: 'requests', MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount', Dimensions: [{ Name: 'LoadBalancer', Value: lbDimension }] }, Period: 60, Stat: 'Sum' } },
      { Id: 'errors', MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Dimensions: groupDimensions }, Period: 60, Stat: 'Sum' } },
      { Id: 'p99', MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'TargetResponseTime', Dimensions: groupDimensions }, Period: 60, Stat: 'p99' } },
    ],
  }));
  const total = (id: string): number => (data.MetricDataResults?.find((r) => r.Id === id)?.Values ?? []).reduce((a, b) => a + b, 0);
  assert.equal(total('requests'), 10);
  assert.equal(total('errors'), 4);
  assert.ok(total('p99') > 0, 'TargetResponseTime p99 is published');
  for (const result of data.MetricDataResults ?? []) {
    for (const timestamp of result.Timestamps ?? []) assert.equal(timestamp.getTime() % METRIC_PERIOD_MS, 0, 'minute-aligned timestamps');
  }
});
