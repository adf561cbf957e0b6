import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analysisBudgetMs, resolveAnalyses } from '../../src/spec/analysis.js';
import { parseConfigText } from '../../src/spec/config-file.js';
import { RolloutError } from '../../src/spec/errors.js';
import { gateBudgetMs, resolveGates } from '../../src/spec/strategy.js';

const FILE = `cluster: prod
service: web
strategy:
  type: canary
  gates:
    - stage: PRE_PRODUCTION_TRAFFIC_SHIFT
      name: metrics
      analysis: error-rate
analysis:
  error-rate:
    onFailure: rollback
    metrics:
      - name: canary-5xx-percent
        interval: 30s
        count: 4
        initialDelay: 15s
        successCondition: result <= 1
        failureCondition: result > 5
        failureLimit: 0
        inconclusiveLimit: 0
        consecutiveErrorLimit: 4
        cloudwatch:
          period: 60
          queries:
            - id: errors
              metricStat:
                metric:
                  namespace: AWS/ApplicationELB
                  metricName: HTTPCode_Target_5XX_Count
                  dimensions:
                    - { name: TargetGroup, value: "{{canary.targetGroup}}" }
                    - { name: LoadBalancer, value: "{{loadBalancer}}" }
                stat: Sum
              returnData: false
            - id: requests
              metricStat:
                metric: { namespace: AWS/ApplicationELB, metricName: RequestCount, dimensions: [{ name: TargetGroup, value: "{{canary.targetGroup}}" }] }
                stat: Sum
              returnData: false
            - id: rate
              expression: 100 * errors / requests
      - name: p99
        compare: stable
        failureCondition: canary > stable + 1
        cloudwatch:
          window: 5m
          queries:
            - id: p99
              metricStat: { metric: { namespace: AWS/ApplicationELB, metricName: TargetResponseTime, dimensions: [{ name: TargetGroup, value: "{{canary.targetGroup}}" }] }, stat: p99, period: 30 }
      - name: slo-alarm
        alarm: { names: [web-5xx] }
  smoke:
    onFailure: pause
    preexistingAlarm: proceed
    metrics:
      - name: smoke
        http: { url: "http://127.0.0.1:8080/{{service}}/health", jsonPath: "$.checks.ok", timeout: 5s, headers: { x-probe: ecs-rollout } }
        successCondition: result == true
      - name: script
        command: { run: "./check.sh {{canary.weight}}", timeout: 30s }
`;

test('analysis section: a full file parses and resolves with Argo defaults', () => {
  const config = parseConfigText(FILE, 'ecs-rollout.yaml');
  const analyses = resolveAnalyses(config.analysis);
  assert.deepEqual([...analyses.keys()], ['error-rate', 'smoke']);
  const errorRate = analyses.get('error-rate');
  assert.equal(errorRate?.onFailure, 'rollback');
  assert.equal(errorRate?.preexistingAlarm, 'stop');
  const [rate, p99, alarm] = errorRate?.metrics ?? [];
  assert.equal(rate?.intervalMs, 30_000);
  assert.equal(rate?.initialDelayMs, 15_000);
  assert.equal(rate?.errorRetryIntervalMs, 10_000);
  assert.deepEqual(rate?.limits, { count: 4, failureLimit: 0, inconclusiveLimit: 0, consecutiveErrorLimit: 4, consecutiveSuccessLimit: 0 });
  assert.equal(rate?.successCondition?.source, 'result <= 1');
  assert.ok(rate?.provider.kind === 'cloudwatch');
  assert.equal(rate.provider.windowMs, 60_000, 'window = max(interval 30s, period 60s)');
  assert.equal(rate.provider.queries.length, 3);
  assert.ok(p99?.provider.kind === 'cloudwatch');
  assert.equal(p99.compareWithStable, true);
  assert.equal(p99.provider.windowMs, 300_000);
  assert.deepEqual(p99.limits, { count: 1, failureLimit: 0, inconclusiveLimit: 0, consecutiveErrorLimit: 4, consecutiveSuccessLimit: 0 });
  assert.deepEqual(alarm?.provider, { kind: 'alarm', names: ['web-5xx'] });

  const smoke = analyses.get('smoke');
  assert.equal(smoke?.onFailure, 'pause');
  assert.equal(smoke?.preexistingAlarm, 'proceed');
  const [http, command] = smoke?.metrics ?? [];
  assert.ok(http?.provider.kind === 'http');
  assert.deepEqual(http.provider.jsonPath, [{ kind: 'key', key: 'checks' }, { kind: 'key', key: 'ok' }]);
  assert.equal(http.provider.timeoutMs, 5000);
  assert.deepEqual(http.provider.headers, { 'x-probe': 'ecs-rollout' });
  assert.ok(command?.provider.kind === 'command');
  assert.equal(command.provider.timeoutMs, 30_000);
});

test('analysis gates resolve with the analysis budget, which sizes the PAUSE hook timeout', () => {
  const config = parseConfigText(FILE, 'ecs-rollout.yaml');
  const analyses = resolveAnalyses(config.analysis);
  const errorRate = analyses.get('error-rate');
  assert.ok(errorRate);
  const budget = analysisBudgetMs(errorRate);
  // The slowest metric: 15s delay + 4 x (30s call + 30s interval) + 5 x 5 x (30s call + 10s retry) for the tolerated errors.
  assert.equal(budget, 15_000 + 4 * 60_000 + 25 * 40_000);
  const gates = resolveGates(config.strategy?.gates, new Map([['error-rate', budget]]));
  assert.deepEqual(gates, [{ stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT', name: 'metrics', check: { kind: 'analysis', analysis: 'error-rate', budgetMs: budget } }]);
  assert.equal(gateBudgetMs(gates[0]?.check ?? { kind: 'analysis', analysis: '', budgetMs: 0 }), budget);
});

function refused(text: string, message: RegExp): void {
  assert.throws(
    () => parseConfigText(text, 'ecs-rollout.yaml'),
    (err: unknown) => err instanceof RolloutError && err.code === 'InvalidConfig' && message.test(err.message),
    `${text}\nshould fail with ${message}`,
  );
}

const metric = (fields: string): string => `analysis:\n  a:\n    metrics:\n      - { name: m, ${fields} }`;

test('analysis section: errors name the field and the fix', () => {
  const cases: Array<[string, RegExp]> = [
    ['analysis: [a]', /analysis: expected a mapping of analysis names to analyses/],
    ['analysis: { a: { metrics: [] } }', /analysis\.a\.metrics: an analysis needs at least one metric/],
    ['analysis: { a: { onFailure: abort, metrics: [{ name: m, command: { run: x } }] } }', /analysis\.a\.onFailure: expected one of rollback, pause, report, got 'abort'/],
    ['analysis: { a: { preexistingAlarm: ignore, metrics: [{ name: m, command: { run: x } }] } }', /analysis\.a\.preexistingAlarm: expected stop or proceed, got 'ignore'/],
    ['analysis: { a: { metric: [] } }', /analysis\.a\.metric: unknown field; the fields are onFailure, preexistingAlarm, metrics/],
    [metric('interval: 30s'), /analysis\.a\.metrics\.0: a metric needs one provider: cloudwatch, alarm, http or command/],
    [metric('command: { run: x }, http: { url: "http://x" }'), /a metric has exactly one provider; this one has http and command/],
    [metric('count: 3, command: { run: x }'), /analysis\.a\.metrics\.0\.interval: count 3 needs an interval between the measurements/],
    [metric('count: 0, command: { run: x }'), /analysis\.a\.metrics\.0\.count: must be 1 or more/],
    [metric('interval: soon, command: { run: x }'), /analysis\.a\.metrics\.0\.interval: expected a duration like 30s or 5m, got 'soon'/],
    [metric('failureLimit: -2, command: { run: x }'), /failureLimit: must be 0 or more, or -1 to turn it off/],
    [metric('failureLimit: -1, command: { run: x }'), /failureLimit: failureLimit -1 turns failures off; then set consecutiveSuccessLimit/],
    [metric('successCondition: "result = 1", command: { run: x }'), /analysis\.a\.metrics\.0\.successCondition: '=' is not an operator; compare with ==/],
    [metric('failureCondition: "canary > stable", command: { run: x }'), /analysis\.a\.metrics\.0\.failureCondition: unknown name canary \(canary is defined with compare: stable\)/],
    [metric('successCondition: "result + 1", command: { run: x }'), /successCondition: 'result \+ 1' gives a number, not true or false/],
    [metric('compare: stable, alarm: { names: [x] }'), /analysis\.a\.metrics\.0\.compare: compare: stable reruns a templated query for the stable revision; an alarm has no query to rerun/],
    [metric('compare: stable, command: { run: x }'), /compare: stable needs a successCondition or failureCondition that compares canary with stable/],
    [metric('compare: canary, command: { run: x }'), /compare: expected stable, got 'canary'/],
    [metric('successCondition: "result == 1", alarm: { names: [x] }'), /successCondition: an alarm decides by its state/],
    [metric('alarm: { names: [] }'), /alarm\.names: name at least one alarm/],
    [metric('command: { run: "check {{canary.tg}}" }'), /analysis\.a\.metrics\.0\.command\.run: unknown variable \{\{canary\.tg\}\}; the variables are cluster, service/],
    [metric('command: { run: "check {{service}" }'), /command\.run: unbalanced \{\{ or \}\} in 'check \{\{service\}'/],
    [metric('http: { url: "ftp://x" }'), /http\.url: expected an http:\/\/ or https:\/\/ URL, got 'ftp:\/\/x'/],
    [metric('http: { url: "http://x", jsonPath: "checks.ok" }'), /http\.jsonPath: a path starts with \$ at position 1 of 'checks\.ok'/],
    [metric('http: { url: "http://x", method: POST }'), /http\.method: unknown field; the fields are url, jsonPath, timeout, headers/],
    [metric('command: { run: x, jsonPath: "$.a[x]" }'), /command\.jsonPath: expected \[number\] or \['name'\] at position 4/],
    [metric('cloudwatch: { queries: [] }'), /cloudwatch\.queries: needs at least one query/],
    [metric('cloudwatch: { queries: [{ id: Rate, expression: "1" }] }'), /cloudwatch\.queries\.0\.id: 'Rate' is not a GetMetricData id: start with a lowercase letter/],
    [metric('cloudwatch: { queries: [{ id: a, expression: "1", returnData: false }, { id: a, expression: "2" }] }'), /cloudwatch\.queries\.1\.id: id 'a' is used twice/],
    [metric('cloudwatch: { queries: [{ id: a }] }'), /cloudwatch\.queries\.0: a query needs exactly one of expression or metricStat/],
    [metric('cloudwatch: { queries: [{ id: a, expression: "1" }, { id: b, expression: "2" }] }'), /cloudwatch\.queries: exactly one query returns data, the result; set returnData: false on the others \(a, b all return data\)/],
    [metric('cloudwatch: { queries: [{ id: a, expression: "1", returnData: false }] }'), /cloudwatch\.queries: one query must return data/],
    [metric('cloudwatch: { queries: [{ id: a, metricStat: { metric: { namespace: n, metricName: m }, stat: Sum, period: 0 } }] }'), /metricStat\.period: must be at least 1 second/],
    [metric('cloudwatch: { queries: [{ id: a, metricStat: { metric: { namespace: n, metricName: m }, stat: Sum, unit: Bytez } }] }'), /metricStat\.unit: expected a CloudWatch unit such as Count, Seconds or Percent, got 'Bytez'/],
    [metric('cloudwatch: { queries: [{ id: a, metricStat: { metric: { namespace: n, name: m }, stat: Sum } }] }'), /metricStat\.metric\.name: unknown field; the fields are namespace, metricName, dimensions/],
    [metric('cloudwatch: { queries: [{ id: a, expression: "{{canary.weight}} * 1" }], window: 1y }'), /cloudwatch\.window: expected a duration/],
    ['analysis: { a: { metrics: [{ name: m, command: { run: x } }, { name: m, command: { run: y } }] } }', /analysis\.a\.metrics\.1\.name: metric name 'm' is used twice in this analysis/],
    ['strategy: { gates: [{ stage: POST_SCALE_UP, name: g, analysis: missing }] }\nanalysis: { a: { metrics: [{ name: m, command: { run: x } }] } }', /strategy\.gates\.0\.analysis: no analysis named 'missing' in the analysis: section \(defined: a\)/],
    ['strategy: { gates: [{ stage: POST_SCALE_UP, name: g, analysis: missing }] }', /strategy\.gates\.0\.analysis: no analysis named 'missing' in the analysis: section \(it defines none\)/],
    ['strategy: { gates: [{ stage: POST_SCALE_UP, name: g, analysis: a, command: { run: x } }] }', /strategy\.gates\.0: a gate needs exactly one of http or command \(or analysis: NAME\)/],
  ];
  for (const [text, message] of cases) refused(text, message);
});

test('every {{variable}} of the catalogue is accepted, with or without spaces', () => {
  const config = parseConfigText(metric('command: { run: "x {{ cluster }} {{service}} {{stage}} {{step}} {{loadBalancer}} {{canary.targetGroup}} {{stable.targetGroup}} {{canary.url}} {{stable.url}} {{canary.weight}}" }'), 'f');
  assert.ok(config.analysis?.a);
});
