import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfigText } from '../../src/spec/config-file.js';
import { RolloutError } from '../../src/spec/errors.js';
import { gateBudgetMs, resolveGates, wholeMinutes } from '../../src/spec/strategy.js';

const FILE = `cluster: prod
service: web
strategy:
  type: canary
  canary: { percent: 10, bake: 5m }
  bake: 10m
  testListenerRule: arn:aws:elasticloadbalancing:us-east-1:1:listener-rule/app/lb/1/2/3
  alarms: { names: [web-5xx], rollback: true }
  gates:
    - stage: POST_TEST_TRAFFIC_SHIFT
      name: smoke
      http: { url: "http://127.0.0.1:8081/health", expectStatus: 204, timeout: 5s, retries: 3, interval: 2s }
    - stage: POST_PRODUCTION_TRAFFIC_SHIFT
      name: e2e
      command: { run: "npm run e2e" }
`;

test('strategy block: a full canary block parses; gates resolve with defaults', () => {
  const config = parseConfigText(FILE, 'ecs-rollout.yaml');
  assert.equal(config.strategy?.type, 'canary');
  assert.deepEqual(config.strategy?.canary, { percent: 10, bake: '5m' });
  assert.deepEqual(resolveGates(config.strategy?.gates), [
    { stage: 'POST_TEST_TRAFFIC_SHIFT', name: 'smoke', check: { kind: 'http', url: 'http://127.0.0.1:8081/health', expectStatus: 204, timeoutMs: 5000, retries: 3, intervalMs: 2000 } },
    { stage: 'POST_PRODUCTION_TRAFFIC_SHIFT', name: 'e2e', check: { kind: 'command', run: 'npm run e2e', timeoutMs: 30_000, retries: 0, intervalMs: 5000 } },
  ]);
});

test('strategy block: errors name the field', () => {
  const cases: Array<[string, RegExp]> = [
    ['strategy: { type: bluegreen }', /strategy\.type: expected one of rolling, blue-green, canary, linear, got 'bluegreen'/],
    ['strategy: { canary: { percent: 0.05 } }', /strategy\.canary\.percent: must be at least 0\.1/],
    ['strategy: { canary: { percent: 10.25 } }', /strategy\.canary\.percent: must be a multiple of 0\.1/],
    ['strategy: { linear: { stepPercent: 2 } }', /strategy\.linear\.stepPercent: must be at least 3/],
    ['strategy: { bake: soon }', /strategy\.bake: expected a duration like 90s or 15m, got 'soon'/],
    ['strategy: { gates: [{ stage: TEST_TRAFFIC_SHIFT, name: x, command: { run: "true" } }] }', /strategy\.gates\.0\.stage: expected a stage where ECS allows a PAUSE hook/],
    ['strategy: { gates: [{ stage: POST_SCALE_UP, name: x }] }', /strategy\.gates\.0: a gate needs exactly one of http or command/],
    ['strategy: { gates: [{ stage: POST_SCALE_UP, name: x, http: { url: "nope" } }] }', /strategy\.gates\.0\.http\.url: expected a URL/],
    ['strategy: { gates: [{ stage: POST_SCALE_UP, name: x, command: { run: "true", retry: 2 } }] }', /strategy\.gates\.0\.command\.retry: unknown field; the fields are run, timeout, retries, interval/],
    ['strategy: { bakeTime: 5m }', /strategy\.bakeTime: unknown field; the fields are type, canary, linear, bake/],
    ['strategy: { promotableBake: yes please }', /strategy\.promotableBake: expected true or false, got 'yes please'/],
    ['strategy: { hooks: [{ stages: [POST_SCALE_UP] }] }', /strategy\.hooks\.0: a hook needs exactly one of lambda: FUNCTION_ARN or pause: true/],
    ['strategy: { hooks: [{ stages: [BAKE_TIME], pause: true }] }', /strategy\.hooks\.0\.stages\.0: expected a lifecycle stage \(RECONCILE_SERVICE, /],
    ['strategy: { hooks: [{ stages: [PRODUCTION_TRAFFIC_SHIFT], pause: true }] }', /strategy\.hooks\.0: ECS runs no PAUSE hook while traffic moves/],
    ['strategy: { hooks: [{ stages: [POST_SCALE_UP], pause: true, timeout: 400h }] }', /strategy\.hooks\.0: timeout must be from 1m to 336h/],
    ['strategy: { hooks: [{ stages: [POST_SCALE_UP], lambda: arn:aws:lambda:us-east-1:1:function:f, onTimeout: skip }] }', /strategy\.hooks\.0\.onTimeout: expected rollback or continue, got 'skip'/],
    ['strategy: { hooks: [{ stage: POST_SCALE_UP, pause: true }] }', /strategy\.hooks\.0\.stage: unknown field; the fields are stages, lambda, role, pause, timeout, onTimeout, details/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseConfigText(text, 'ecs-rollout.yaml'), (err: unknown) => err instanceof RolloutError && err.code === 'InvalidConfig' && message.test(err.message), text);
  }
});

test('durations become whole minutes, rounded up and flagged', () => {
  assert.deepEqual(wholeMinutes('10m'), { minutes: 10, rounded: false });
  assert.deepEqual(wholeMinutes('90s'), { minutes: 2, rounded: true });
  assert.deepEqual(wholeMinutes('0s'), { minutes: 0, rounded: false });
  assert.equal(wholeMinutes(undefined), undefined);
});

test('a gate budget is every attempt timing out plus the pauses between them', () => {
  assert.equal(gateBudgetMs({ kind: 'command', run: 'x', timeoutMs: 10_000, retries: 2, intervalMs: 5000 }), 40_000);
});
