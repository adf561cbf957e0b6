import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { createAnalysisRunner } from '../../src/analysis/runner.js';
import { CloudWatchMetrics } from '../../src/aws/cloudwatch-metrics.js';
import { LocalProbes } from '../../src/aws/local-probes.js';
import type { EventBody } from '../../src/engine/events.js';
import { resolveAnalyses } from '../../src/spec/analysis.js';
import { parseConfigText } from '../../src/spec/config-file.js';
import { TEST_CREDENTIALS, TEST_REGION, uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';
import { fakeClock } from '../unit/engine-fakes.js';

const NAMESPACE = 'EcsRollout/AnalysisTest';

/** 5xx percent of one target group over the analysis window, as an analysis file writes it. */
const RATE_QUERIES = (metricNamespace: string) => `cloudwatch:
          window: 5m
          queries:
            - id: errors
              metricStat: { metric: { namespace: ${metricNamespace}, metricName: Errors, dimensions: [{ name: TargetGroup, value: "{{canary.targetGroup}}" }] }, stat: Sum }
              returnData: false
            - id: requests
              metricStat: { metric: { namespace: ${metricNamespace}, metricName: Requests, dimensions: [{ name: TargetGroup, value: "{{canary.targetGroup}}" }] }, stat: Sum }
              returnData: false
            - id: rate
              expression: 100 * errors / requests`;

async function setup(t: Parameters<typeof startTestEmulator>[0]) {
  const { emulator } = await startTestEmulator(t);
  const cw = new CloudWatchClient({ endpoint: emulator.url, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  t.after(async () => cw.destroy());
  const namespace = `${NAMESPACE}/${uniqueName('ns')}`;
  // The analysis begins on a whole minute in the past and measures three
  // minutes later (initialDelay: 3m on a clock that jumps), so the data below
  // falls in whole periods after it began: older periods are not counted.
  const begin = Math.floor((Date.now() - 200_000) / 60_000) * 60_000;
  // Two minutes apart, so they land in different 60-second periods; the newest period is what the analysis judges.
  const put = (targetGroup: string, at: number, errors: number, requests: number) =>
    cw.send(new PutMetricDataCommand({
      Namespace: namespace,
      MetricData: [
        { MetricName: 'Errors', Dimensions: [{ Name: 'TargetGroup', Value: targetGroup }], Timestamp: new Date(at), Value: errors, Unit: 'Count' },
        { MetricName: 'Requests', Dimensions: [{ Name: 'TargetGroup', Value: targetGroup }], Timestamp: new Date(at), Value: requests, Unit: 'Count' },
      ],
    }));
  await put('targetgroup/green/1', begin + 30_000, 0, 100);
  await put('targetgroup/green/1', begin + 150_000, 3, 100);
  await put('targetgroup/blue/2', begin + 150_000, 1, 100);

  const runner = (yaml: string) => {
    const config = parseConfigText(`analysis:\n${yaml}`, 'ecs-rollout.yaml');
    const events: EventBody[] = [];
    const analysis = createAnalysisRunner({ analyses: resolveAnalyses(config.analysis), metrics: new CloudWatchMetrics(cw), probes: new LocalProbes(), clock: fakeClock(begin), emit: (e) => events.push(e) });
    return { analysis, events };
  };
  return { namespace, runner };
}

const VARIABLES = { 'canary.targetGroup': 'targetgroup/green/1', 'stable.targetGroup': 'targetgroup/blue/2' };

test('cloudwatch provider over the emulator: PutMetricData, then GetMetricData math gives the newest 5xx percent, judged by the conditions', async (t) => {
  const { namespace, runner } = await setup(t);
  const { analysis, events } = runner(`  error-rate:
    metrics:
      - name: canary-5xx-percent
        initialDelay: 3m
        successCondition: result <= 1
        failureCondition: result > 2
        ${RATE_QUERIES(namespace)}`);
  const verdict = await analysis.run('error-rate', VARIABLES, AbortSignal.timeout(10_000));
  const measurement = events.find((e) => e.type === 'analysis-measurement');
  assert.ok(measurement?.type === 'analysis-measurement', JSON.stringify(events));
  assert.equal(measurement.value, 3, measurement.message);
  assert.equal(measurement.phase, 'Failed');
  assert.match(measurement.message, /^result = 3: failureCondition 'result > 2' holds \(rate = 3 at \S+, newest of 2 datapoints in the 3m before/);
  assert.equal(verdict.phase, 'Failed');
});

test('cloudwatch provider over the emulator: compare: stable runs the query for each target group over the same window', async (t) => {
  const { namespace, runner } = await setup(t);
  const { analysis, events } = runner(`  versus-stable:
    metrics:
      - name: rate-vs-stable
        compare: stable
        initialDelay: 3m
        failureCondition: canary > stable + 1
        ${RATE_QUERIES(namespace)}`);
  const verdict = await analysis.run('versus-stable', VARIABLES, AbortSignal.timeout(10_000));
  const measurement = events.find((e) => e.type === 'analysis-measurement');
  assert.ok(measurement?.type === 'analysis-measurement', JSON.stringify(events));
  assert.deepEqual([measurement.value, measurement.stable, measurement.phase], [3, 1, 'Failed']);
  assert.equal(verdict.phase, 'Failed');
});

test('cloudwatch provider over the emulator: a metric with no datapoints is Inconclusive (no data), never Failed', async (t) => {
  const { namespace, runner } = await setup(t);
  const { analysis, events } = runner(`  quiet:
    metrics:
      - name: nothing-yet
        initialDelay: 3m
        successCondition: result <= 1
        ${RATE_QUERIES(`${namespace}/empty`)}`);
  const verdict = await analysis.run('quiet', VARIABLES, AbortSignal.timeout(10_000));
  const measurement = events.find((e) => e.type === 'analysis-measurement');
  assert.ok(measurement?.type === 'analysis-measurement');
  assert.equal(measurement.phase, 'Inconclusive');
  assert.match(measurement.message, /^no data for query rate in the 3m before /);
  assert.equal(verdict.phase, 'Inconclusive');
});
