import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnalysisVerdict } from '../../src/analysis/contract.js';
import { alarmUses, checkPreexistingAlarms, judgePreexisting } from '../../src/analysis/preexisting-alarms.js';
import { createAnalysisRunner } from '../../src/analysis/runner.js';
import type { Clock } from '../../src/engine/clock.js';
import type { EventBody } from '../../src/engine/events.js';
import type { CommandProbe } from '../../src/engine/ports.js';
import { resolveAnalyses } from '../../src/spec/analysis.js';
import { parseConfigText } from '../../src/spec/config-file.js';
import { RolloutError } from '../../src/spec/errors.js';
import { alarm, FakeMetrics, FakeProbes } from './analysis-fakes.js';

const T = Date.parse('2025-06-01T12:00:00.000Z');

/**
 * Virtual time for concurrent waits: sleeps are timers that fire only when
 * the test drives the clock, in time order, and reject when aborted.
 */
class ManualClock implements Clock {
  private current = T;
  private timers: Array<{ at: number; resolve: () => void }> = [];

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = { at: this.current + ms, resolve };
      this.timers.push(timer);
      signal?.addEventListener('abort', () => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(signal.reason);
      }, { once: true });
    });
  }

  /** Lets everything that can run run, firing timers in order, until `work` settles. */
  async drive<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const watched = work.finally(() => {
      settled = true;
    });
    watched.catch(() => undefined);
    for (let turns = 0; turns < 10_000; turns += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      if (settled) return watched;
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers.shift();
      if (next) {
        this.current = Math.max(this.current, next.at);
        next.resolve();
      }
    }
    throw new Error('the analysis did not finish');
  }
}

function setup(analysisYaml: string, probes = new FakeProbes(), metrics = new FakeMetrics()) {
  const config = parseConfigText(`analysis:\n${analysisYaml}`, 'ecs-rollout.yaml');
  const clock = new ManualClock();
  const events: Array<EventBody & { t: number }> = [];
  const runner = createAnalysisRunner({ analyses: resolveAnalyses(config.analysis), metrics, probes, clock, emit: (e) => events.push({ ...e, t: clock.now() - T }) });
  const run = (name: string, variables: Record<string, string> = {}, signal = new AbortController().signal): Promise<AnalysisVerdict> => clock.drive(runner.run(name, variables, signal));
  const measurements = () => events.flatMap((e) => (e.type === 'analysis-measurement' ? [{ metric: e.metric, index: e.index, t: e.t, phase: e.phase, value: e.value, metricPhase: e.metricPhase, nextInMs: e.nextInMs }] : []));
  return { runner, run, events, measurements, clock, probes, metrics };
}

const exits = (...outputs: Array<string | number>): CommandProbe[] =>
  outputs.map((o) => (typeof o === 'number' ? { kind: 'exited', exitCode: o, stdout: '', lines: [`exit ${o}`] } : { kind: 'exited', exitCode: 0, stdout: o, lines: [o] }));

test('runner: initialDelay, then count measurements an interval apart; Successful with a summary', async () => {
  const { run, measurements, events, probes } = setup(
    `  rate:\n    metrics:\n      - { name: rate, initialDelay: 15s, interval: 30s, count: 3, successCondition: result <= 1, command: { run: check } }`,
    new FakeProbes({}, { check: exits('0.2', '0.5', '0.9') }),
  );
  const verdict = await run('rate', { stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT', service: 'web' });
  assert.deepEqual(verdict, { analysis: 'rate', phase: 'Successful', onFailure: 'rollback', summary: "metric rate Successful (3 successful): result = 0.9: successCondition 'result <= 1' holds (output of 'check')" });
  assert.deepEqual(measurements(), [
    { metric: 'rate', index: 1, t: 15_000, phase: 'Successful', value: 0.2, metricPhase: 'Running', nextInMs: 30_000 },
    { metric: 'rate', index: 2, t: 45_000, phase: 'Successful', value: 0.5, metricPhase: 'Running', nextInMs: 30_000 },
    { metric: 'rate', index: 3, t: 75_000, phase: 'Successful', value: 0.9, metricPhase: 'Successful', nextInMs: undefined },
  ]);
  assert.equal(probes.calls.length, 3);
  assert.deepEqual(events[0], { type: 'analysis-started', analysis: 'rate', metrics: ['rate'], purpose: 'at PRE_PRODUCTION_TRAFFIC_SHIFT, service web', t: 0 });
  assert.deepEqual(events.at(-1), { type: 'analysis-finished', analysis: 'rate', phase: 'Successful', onFailure: 'rollback', summary: verdict.summary, t: 75_000 });
});

test('runner: a failure beyond failureLimit ends the metric at once; no more measurements', async () => {
  const { run, measurements, probes } = setup(
    `  rate:\n    onFailure: pause\n    metrics:\n      - { name: rate, interval: 1m, count: 5, failureLimit: 1, failureCondition: result > 5, command: { run: check } }`,
    new FakeProbes({}, { check: exits('7', '1', '9', '1') }),
  );
  const verdict = await run('rate');
  assert.equal(verdict.phase, 'Failed');
  assert.equal(verdict.onFailure, 'pause');
  assert.equal(verdict.summary, "metric rate Failed: failed 2 > failureLimit 1; last measurement: result = 9: failureCondition 'result > 5' holds (output of 'check')");
  assert.deepEqual(measurements().map((m) => [m.t, m.phase, m.metricPhase]), [[0, 'Failed', 'Running'], [60_000, 'Successful', 'Running'], [120_000, 'Failed', 'Failed']]);
  assert.equal(probes.calls.length, 3);
});

test('runner: an error is retried after errorRetryInterval and does not count towards count', async () => {
  const { run, measurements } = setup(
    `  rate:\n    metrics:\n      - { name: rate, interval: 1m, count: 2, errorRetryInterval: 5s, successCondition: result <= 1, command: { run: check } }`,
    new FakeProbes({}, { check: exits(3, '0.5', 'n/a', '0.1') }),
  );
  const verdict = await run('rate');
  assert.equal(verdict.phase, 'Successful');
  assert.match(verdict.summary, /\(2 successful, 2 errors\)/);
  assert.deepEqual(measurements().map((m) => [m.t, m.phase, m.nextInMs]), [[0, 'Error', 5000], [5000, 'Successful', 60_000], [65_000, 'Error', 5000], [70_000, 'Successful', undefined]]);
});

test('runner: consecutive errors beyond consecutiveErrorLimit end the analysis with Error (Argo default retry 10s)', async () => {
  const { run, measurements } = setup(
    `  rate:\n    metrics:\n      - { name: rate, successCondition: result <= 1, command: { run: check } }`,
    new FakeProbes({}, { check: [{ kind: 'failed', reason: "'check' did not finish within 30s", lines: [] }] }),
  );
  const verdict = await run('rate');
  assert.equal(verdict.phase, 'Error');
  assert.equal(verdict.summary, "metric rate Error: consecutive errors 5 > consecutiveErrorLimit 4; last measurement: 'check' did not finish within 30s");
  assert.deepEqual(measurements().map((m) => m.t), [0, 10_000, 20_000, 30_000, 40_000]);
});

test('runner: the first metric to fail ends the whole analysis, cancelling the others mid-wait', async () => {
  const { run, measurements, events, probes, clock } = setup(
    [
      '  canary:',
      '    metrics:',
      '      - { name: slow, interval: 1m, count: 5, successCondition: result <= 1, command: { run: slow } }',
      '      - { name: smoke, initialDelay: 20s, command: { run: smoke } }',
    ].join('\n'),
    new FakeProbes({}, { slow: exits('0.1'), smoke: exits(1) }),
  );
  const verdict = await run('canary');
  assert.equal(verdict.phase, 'Failed');
  assert.equal(verdict.summary, "metric smoke Failed: failed 1 > failureLimit 0; last measurement: 'smoke' exited 1");
  assert.equal(clock.now() - T, 20_000, 'ended when smoke failed, not after slow counted to 5');
  assert.deepEqual(measurements().map((m) => [m.metric, m.t]), [['slow', 0], ['smoke', 20_000]]);
  assert.deepEqual(probes.calls, ['run slow', 'run smoke']);
  assert.equal(events.filter((e) => e.type === 'analysis-finished').length, 1);
});

test('runner: Inconclusive and Error rank below Failed; every metric must pass for Successful', async () => {
  const both = setup(
    [
      '  a:',
      '    metrics:',
      '      - { name: first, successCondition: result < 1, failureCondition: result > 5, command: { run: mid } }',
      '      - { name: second, command: { run: ok } }',
    ].join('\n'),
    new FakeProbes({}, { mid: exits('3'), ok: exits(0) }),
  );
  const verdict = await both.run('a');
  assert.equal(verdict.phase, 'Inconclusive');
  assert.match(verdict.summary, /^metric first Inconclusive: inconclusive 1 > inconclusiveLimit 0/);

  const fine = setup(`  a:\n    metrics:\n      - { name: x, command: { run: ok } }\n      - { name: y, command: { run: ok } }`, new FakeProbes({}, { ok: exits(0) }));
  const passed = await fine.run('a');
  assert.equal(passed.phase, 'Successful');
  assert.equal(passed.summary, "metric x Successful (1 successful): 'ok' exited 0; metric y Successful (1 successful): 'ok' exited 0");
});

test('runner: templates are filled from the variables; one this deployment lacks ends the analysis with Error before any measurement', async () => {
  const { run, probes, events } = setup(
    `  a:\n    metrics:\n      - { name: smoke, command: { run: "curl {{canary.url}}/health?weight={{canary.weight}}" } }`,
    new FakeProbes({}, { 'curl http://green/health?weight=10': exits(0) }),
  );
  assert.equal((await run('a', { 'canary.url': 'http://green', 'canary.weight': '10' })).phase, 'Successful');
  assert.deepEqual(probes.calls, ['run curl http://green/health?weight=10']);

  const verdict = await run('a', { cluster: 'prod', 'canary.weight': '10' });
  assert.deepEqual(verdict, {
    analysis: 'a',
    phase: 'Error',
    onFailure: 'rollback',
    summary: 'metric smoke: variable {{canary.url}} is not available here; this deployment provides canary.weight, cluster',
  });
  assert.equal(probes.calls.length, 1);
  assert.equal(events.at(-1)?.type, 'analysis-finished');
});

test('runner: the deployment abort cancels a waiting analysis and is thrown, not turned into a verdict', async () => {
  const { runner, clock } = setup(`  a:\n    metrics:\n      - { name: m, interval: 1m, count: 3, command: { run: ok } }`, new FakeProbes({}, { ok: exits(0) }));
  const controller = new AbortController();
  const running = runner.run('a', {}, controller.signal);
  running.catch(() => undefined);
  await new Promise((resolve) => setImmediate(resolve));
  controller.abort(new Error('deploy cancelled'));
  await assert.rejects(clock.drive(running), /deploy cancelled/);
});

test('runner: has() and an unknown analysis name', async () => {
  const { runner } = setup(`  a:\n    metrics:\n      - { name: m, command: { run: ok } }`);
  assert.equal(runner.has('a'), true);
  assert.equal(runner.has('b'), false);
  await assert.rejects(runner.run('b', {}, new AbortController().signal), (err: unknown) => err instanceof RolloutError && err.code === 'InvalidConfig');
});

test('runner: an alarm metric reads DescribeAlarms; ALARM fails the analysis', async () => {
  const metrics = new FakeMetrics([], [[alarm('web-5xx', 'OK')], [alarm('web-5xx', 'ALARM', T + 30_000, 'Threshold Crossed')]]);
  const { run, measurements } = setup(`  slo:\n    metrics:\n      - { name: slo, interval: 30s, count: 3, alarm: { names: [web-5xx] } }`, new FakeProbes(), metrics);
  const verdict = await run('slo');
  assert.equal(verdict.phase, 'Failed');
  assert.equal(verdict.summary, 'metric slo Failed: failed 1 > failureLimit 0; last measurement: alarm web-5xx: Threshold Crossed is in ALARM');
  assert.deepEqual(measurements().map((m) => [m.t, m.value, m.phase]), [[0, 'OK', 'Successful'], [30_000, 'ALARM', 'Failed']]);
  assert.deepEqual(metrics.alarmCalls, [['web-5xx'], ['web-5xx']]);
});

test('preexisting alarms: which alarms the analyses watch, and which are missing or firing', () => {
  const config = parseConfigText(
    `analysis:\n  a:\n    metrics:\n      - { name: slo, alarm: { names: [web-5xx, web-latency] } }\n      - { name: smoke, command: { run: ok } }\n  b:\n    preexistingAlarm: proceed\n    metrics:\n      - { name: slo, alarm: { names: [web-5xx] } }`,
    'f',
  );
  const analyses = [...resolveAnalyses(config.analysis).values()];
  const uses = alarmUses(analyses);
  assert.deepEqual(uses, [
    { analysis: 'a', metric: 'slo', alarm: 'web-5xx', action: 'stop' },
    { analysis: 'a', metric: 'slo', alarm: 'web-latency', action: 'stop' },
    { analysis: 'b', metric: 'slo', alarm: 'web-5xx', action: 'proceed' },
  ]);
  const finding = judgePreexisting(uses, [alarm('web-5xx', 'ALARM', T - 60_000, 'Threshold Crossed')]);
  assert.deepEqual(finding.missing.map((u) => u.alarm), ['web-latency']);
  assert.deepEqual(finding.firing.map((f) => [f.analysis, f.alarm, f.since?.getTime(), f.reason]), [['a', 'web-5xx', T - 60_000, 'Threshold Crossed'], ['b', 'web-5xx', T - 60_000, 'Threshold Crossed']]);
});

test('preexisting alarms: stop refuses the deploy naming the alarm; proceed warns and remembers it; none firing passes', async () => {
  const analysesOf = (action: 'stop' | 'proceed') =>
    [...resolveAnalyses(parseConfigText(`analysis:\n  a:\n    preexistingAlarm: ${action}\n    metrics:\n      - { name: slo, alarm: { names: [web-5xx] } }`, 'f').analysis).values()];
  const events: EventBody[] = [];
  const firing = new FakeMetrics([], [[alarm('web-5xx', 'ALARM', T - 60_000, 'Threshold Crossed')]]);
  await assert.rejects(checkPreexistingAlarms(analysesOf('stop'), firing, (e) => events.push(e)), (err: unknown) => {
    assert.ok(err instanceof RolloutError);
    assert.equal(err.code, 'PreflightFailed');
    assert.match(err.message, /^preflight failed: alarm web-5xx \(analysis a\) is already in ALARM since 2025-06-01T11:59:00\.000Z: Threshold Crossed\. An alarm firing before the deploy cannot judge the new version; resolve it first, or set preexistingAlarm: proceed/);
    return true;
  });
  assert.deepEqual(events.map((e) => e.type), ['alarm-already-firing', 'preflight-failed']);
  assert.deepEqual(events[0], { type: 'alarm-already-firing', analysis: 'a', alarm: 'web-5xx', since: '2025-06-01T11:59:00.000Z', reason: 'Threshold Crossed', action: 'stop' });

  events.length = 0;
  const remembered = await checkPreexistingAlarms(analysesOf('proceed'), firing, (e) => events.push(e));
  assert.deepEqual([...remembered], [['web-5xx', T - 60_000]]);
  assert.deepEqual(events.map((e) => e.type), ['alarm-already-firing', 'preflight-passed']);

  events.length = 0;
  const quiet = await checkPreexistingAlarms(analysesOf('stop'), new FakeMetrics([], [[alarm('web-5xx', 'OK')]]), (e) => events.push(e));
  assert.equal(quiet.size, 0);
  assert.deepEqual(events, [{ type: 'preflight-passed', check: 'alarms', message: 'alarm web-5xx is not in ALARM' }]);

  await assert.rejects(checkPreexistingAlarms(analysesOf('stop'), new FakeMetrics([], [[]]), () => undefined), /alarm web-5xx \(analysis a, metric slo\) does not exist in CloudWatch; create it or fix the name/);
});
