import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { createAnalysisRunner } from '../../src/analysis/runner.js';
import { LocalProbes } from '../../src/aws/local-probes.js';
import type { AnalysisMeasurement, EventBody } from '../../src/engine/events.js';
import type { MetricsPort } from '../../src/engine/ports.js';
import { resolveAnalyses } from '../../src/spec/analysis.js';
import { parseConfigText } from '../../src/spec/config-file.js';
import { uniqueName } from '../support/clients.js';
import { fakeClock } from '../unit/engine-fakes.js';

/**
 * The http provider (providers/http.ts through LocalProbes) against a real
 * server on 127.0.0.1: real sockets, real status codes, real timeouts. The
 * analysis schedule runs on a fake clock; only the GETs take real time.
 */

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface Seen {
  path: string;
  headers: IncomingMessage['headers'];
}

/** A server on port 0 answering each request with the next handler (the last one repeats); every request is recorded. */
async function serve(t: TestContext, handlers: Handler[]): Promise<{ base: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    const handler = handlers[Math.min(seen.length, handlers.length) - 1];
    handler?.(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    // A handler that never answers leaves its socket open: close it, or close() waits for it.
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const json = (status: number, body: unknown): Handler => (_req, res) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/** The http provider never asks CloudWatch anything. */
const NO_METRICS: MetricsPort = {
  getMetricData: () => Promise.reject(new Error('the http provider called GetMetricData')),
  describeAlarms: () => Promise.reject(new Error('the http provider called DescribeAlarms')),
};

/** One analysis named `name` from an `analysis:` YAML body, run through createAnalysisRunner with the local probes. */
function runner(name: string, metricsYaml: string) {
  const config = parseConfigText(`analysis:\n  ${name}:\n    metrics:\n${metricsYaml}`, 'ecs-rollout.yaml');
  const events: EventBody[] = [];
  const clock = fakeClock();
  const analysis = createAnalysisRunner({ analyses: resolveAnalyses(config.analysis), metrics: NO_METRICS, probes: new LocalProbes(), clock, emit: (e) => events.push(e) });
  const measurements = (): AnalysisMeasurement[] =>
    events.flatMap((e) => (e.type === 'analysis-measurement' ? [e] : []));
  return { analysis, events, clock, measurements };
}

const VARIABLES = { 'canary.targetGroup': 'targetgroup/green/1', 'stable.targetGroup': 'targetgroup/blue/2' };

test('http provider against a local server: jsonPath picks a number from the JSON body, successCondition holds twice -> Successful; the URL template and headers reach the server', async (t) => {
  const { base, seen } = await serve(t, [json(200, { checks: { errorRate: 0.4, p99: [120, 180] } })]);
  const name = uniqueName('healthy');
  const { analysis, events, clock, measurements } = runner(name, `      - name: error-rate
        count: 2
        interval: 30s
        successCondition: result < 1
        failureCondition: result >= 5
        http:
          url: ${base}/stats/{{canary.targetGroup}}
          jsonPath: $.checks.errorRate
          headers: { x-api-key: sekret }`);

  const verdict = await analysis.run(name, VARIABLES, AbortSignal.timeout(10_000));

  const taken = measurements();
  assert.deepEqual(taken.map((m) => [m.index, m.phase, m.value, m.metricPhase]), [[1, 'Successful', 0.4, 'Running'], [2, 'Successful', 0.4, 'Successful']]);
  const url = `${base}/stats/targetgroup/green/1`;
  assert.equal(taken[0]?.message, `result = 0.4: successCondition 'result < 1' holds (GET ${url} answered 200)`);
  assert.equal(taken[0]?.nextInMs, 30_000);
  assert.deepEqual(taken[0]?.output, [`GET ${url} -> 200`, '{"checks":{"errorRate":0.4,"p99":[120,180]}}']);
  assert.deepEqual(clock.sleeps, [30_000], 'one interval between the two measurements, on the injected clock');
  assert.deepEqual(seen.map((s) => s.path), ['/stats/targetgroup/green/1', '/stats/targetgroup/green/1']);
  assert.equal(seen[0]?.headers['x-api-key'], 'sekret');
  assert.match(seen[0]?.headers.accept ?? '', /^application\/json/);
  assert.equal(verdict.phase, 'Successful');
  assert.match(verdict.summary, /^metric error-rate Successful \(2 successful\): result = 0\.4/);
  assert.equal(events.at(-1)?.type, 'analysis-finished');
});

test('http provider against a local server: a numeric string picked by jsonPath is judged as a number; failureCondition holds -> Failed at once', async (t) => {
  const { base, seen } = await serve(t, [json(200, { latency: { p99: ['95', '180'] } })]);
  const name = uniqueName('slow');
  const { analysis, measurements } = runner(name, `      - name: p99
        count: 3
        interval: 1m
        failureCondition: result > 150
        http:
          url: ${base}/latency
          jsonPath: $.latency.p99[-1]`);

  const verdict = await analysis.run(name, VARIABLES, AbortSignal.timeout(10_000));

  const taken = measurements();
  assert.equal(taken.length, 1, 'failureLimit 0: the first failure ends the metric');
  assert.equal(taken[0]?.phase, 'Failed');
  assert.equal(taken[0]?.value, 180);
  assert.equal(taken[0]?.metricPhase, 'Failed');
  assert.equal(taken[0]?.message, `result = 180: failureCondition 'result > 150' holds (GET ${base}/latency answered 200)`);
  assert.equal(seen.length, 1);
  assert.equal(verdict.phase, 'Failed');
  assert.match(verdict.summary, /^metric p99 Failed: failed 1 > failureLimit 0; last measurement: result = 180/);
});

test('http provider against a local server: a 503 answer is an Error measurement, counted and retried after errorRetryInterval; the next 2xx answer passes', async (t) => {
  const { base, seen } = await serve(t, [json(503, { error: 'warming up' }), json(200, { ok: true, ratio: 0.99 })]);
  const name = uniqueName('flaky');
  const { analysis, clock, measurements } = runner(name, `      - name: ready
        errorRetryInterval: 7s
        consecutiveErrorLimit: 1
        successCondition: result >= 0.95
        http:
          url: ${base}/ready
          jsonPath: $.ratio`);

  const verdict = await analysis.run(name, VARIABLES, AbortSignal.timeout(10_000));

  const taken = measurements();
  assert.deepEqual(taken.map((m) => m.phase), ['Error', 'Successful']);
  assert.equal(taken[0]?.message, `GET ${base}/ready answered 503, not 2xx`);
  assert.equal(taken[0]?.value, undefined);
  assert.deepEqual(taken[0]?.output, [`GET ${base}/ready -> 503`, '{"error":"warming up"}']);
  assert.equal(taken[0]?.metricPhase, 'Running', 'one error is within consecutiveErrorLimit 1');
  assert.equal(taken[0]?.nextInMs, 7_000);
  assert.deepEqual(clock.sleeps, [7_000]);
  assert.equal(taken[1]?.value, 0.99);
  assert.equal(seen.length, 2);
  assert.equal(verdict.phase, 'Successful');
  assert.match(verdict.summary, /\(1 successful, 1 error\)/);
});

test('http provider against a local server: a 200 whose body is not JSON is an Error naming the jsonPath, not a value', async (t) => {
  const { base } = await serve(t, [(_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html>login</html>');
  }]);
  const name = uniqueName('html');
  const { analysis, measurements } = runner(name, `      - name: html
        consecutiveErrorLimit: 0
        successCondition: result < 1
        http:
          url: ${base}/
          jsonPath: $.rate`);

  const verdict = await analysis.run(name, VARIABLES, AbortSignal.timeout(10_000));

  const taken = measurements();
  assert.equal(taken.length, 1);
  assert.equal(taken[0]?.phase, 'Error');
  assert.match(taken[0]?.message ?? '', new RegExp(`^the response of GET ${base}/ is not JSON \\(.+\\), so jsonPath \\$\\.rate cannot pick a value: <html>login</html>$`));
  assert.equal(verdict.phase, 'Error');
  assert.match(verdict.summary, /consecutive errors 1 > consecutiveErrorLimit 0/);
});

test('http provider against a local server: a server that does not answer within timeout is an Error per attempt; past consecutiveErrorLimit the verdict is Error, nothing thrown', async (t) => {
  const { base, seen } = await serve(t, [() => { /* never answers */ }]);
  const name = uniqueName('hung');
  const { analysis, clock, measurements } = runner(name, `      - name: hung
        errorRetryInterval: 2s
        consecutiveErrorLimit: 1
        successCondition: result == true
        http:
          url: ${base}/hang
          timeout: 200ms`);

  const started = Date.now();
  const verdict = await analysis.run(name, VARIABLES, AbortSignal.timeout(10_000));
  const took = Date.now() - started;

  const taken = measurements();
  assert.deepEqual(taken.map((m) => [m.phase, m.metricPhase]), [['Error', 'Running'], ['Error', 'Error']]);
  for (const m of taken) assert.equal(m.message, `GET ${base}/hang did not answer within 200ms`);
  assert.equal(seen.length, 2, 'each attempt reached the server');
  assert.deepEqual(clock.sleeps, [2_000]);
  assert.ok(took >= 350 && took < 5_000, `two 200ms timeouts took ${took}ms`);
  assert.equal(verdict.phase, 'Error');
  assert.equal(verdict.summary, `metric hung Error: consecutive errors 2 > consecutiveErrorLimit 1; last measurement: GET ${base}/hang did not answer within 200ms`);
});

test('http provider: a refused connection is an Error measurement naming the cause; the verdict is Error, nothing thrown', async (t) => {
  // A port that was just free and is now closed: connecting to it is refused.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const name = uniqueName('refused');
  const { analysis, measurements } = runner(name, `      - name: down
        consecutiveErrorLimit: 0
        http:
          url: http://127.0.0.1:${port}/health`);

  const verdict = await analysis.run(name, VARIABLES, AbortSignal.timeout(10_000));

  const taken = measurements();
  assert.equal(taken.length, 1);
  assert.equal(taken[0]?.phase, 'Error');
  assert.match(taken[0]?.message ?? '', new RegExp(`^GET http://127\\.0\\.0\\.1:${port}/health failed: fetch failed: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}$`));
  assert.equal(verdict.phase, 'Error');
});
