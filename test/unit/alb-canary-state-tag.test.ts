import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compactTime, decodeAbort, decodePromote, decodeState, encodeAbort, encodePromote, encodeState, MAX_TAG_VALUE, parseCompactTime, readRecord,
  routeFromArn, runId, runStartedAt, safeWho, TAG, type CanaryState,
} from '../../src/engine/alb-canary/state-tag.js';

const T0 = Date.parse('2025-06-01T12:00:00.000Z');

const STATE: CanaryState = {
  run: runId(T0),
  taskDefinition: 'web:12',
  previousRevision: 11,
  stableService: 'web',
  step: 3,
  totalSteps: 7,
  weight: 25,
  phase: 'step',
  waiting: 'pause',
  until: T0 + 120_000,
  updatedAt: T0 + 5000,
  heartbeatMs: 30_000,
  by: 'alice@build-7',
};

/** The characters ECS takes in a tag value (API reference: Tag value pattern). */
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

test('state tag: encodes to words ECS accepts in a tag value, and decodes to the same state', () => {
  const value = encodeState(STATE);
  assert.equal(value, `v1 run=${STATE.run} td=web:12 prev=11 stable=web step=3/7 w=25 ph=step do=pause until=20250601T120200Z at=20250601T120005Z hb=30 by=alice@build-7`);
  assert.match(value, TAG_VALUE);
  assert.deepEqual(decodeState(value), STATE);
});

test('state tag: the states of each phase survive the round trip', () => {
  const cases: CanaryState[] = [
    { ...STATE, phase: 'starting', step: 0, weight: 0, waiting: undefined, until: undefined },
    { ...STATE, waiting: 'promote', until: undefined },
    { ...STATE, waiting: 'analysis', until: undefined },
    { ...STATE, phase: 'promoting', waiting: undefined, until: undefined },
    { ...STATE, phase: 'finishing', weight: 0, waiting: undefined, until: undefined },
    { ...STATE, phase: 'rolling-back', waiting: undefined, until: undefined },
  ];
  for (const state of cases) assert.deepEqual(decodeState(encodeState(state)), state, state.phase);
});

test('state tag: who started it is made tag-safe and gives way before the value passes 256 characters', () => {
  assert.equal(safeWho('Zoë Smith <zoe@ci>'), 'Zoë_Smith__zoe@ci_');
  const long = encodeState({ ...STATE, stableService: 's'.repeat(100), by: 'x'.repeat(200) });
  assert.equal(long.length, MAX_TAG_VALUE);
  assert.match(long, / by=x+$/);
  const noRoom = encodeState({ ...STATE, stableService: 's'.repeat(250), by: 'someone' });
  assert.doesNotMatch(noRoom, /by=/);
});

test('state tag: anything this version did not write decodes to undefined', () => {
  for (const value of [undefined, '', '{"step":3}', 'v2 run=x', 'v1 run=abc td=web:1 stable=web step=x/7 w=1 ph=step at=20250601T120005Z hb=30 prev=1', 'v1 run=abc td=web:1 stable=web step=1/7 w=1 ph=dancing at=20250601T120005Z hb=30 prev=1']) {
    assert.equal(decodeState(value), undefined, String(value));
  }
});

test('markers name their run; times are ISO 8601 basic to the second', () => {
  const promote = { run: 'lq2x3k5', step: 4, at: T0, by: 'bob@laptop' };
  assert.equal(encodePromote(promote), 'run=lq2x3k5 step=4 at=20250601T120000Z by=bob@laptop');
  assert.deepEqual(decodePromote(encodePromote(promote)), promote);
  const abort = { run: 'lq2x3k5', at: T0 + 999, by: 'bob@laptop' };
  assert.deepEqual(decodeAbort(encodeAbort(abort)), { ...abort, at: T0 });
  assert.equal(decodePromote('run=x step=? at=20250601T120000Z'), undefined);
  assert.equal(compactTime(T0 + 1500), '20250601T120001Z');
  assert.equal(parseCompactTime('20250601T120001Z'), T0 + 1000);
  assert.equal(parseCompactTime('2025-06-01'), undefined);
  assert.equal(runStartedAt(runId(T0)), T0);
});

test('the route tag tells a rule from a listener', () => {
  const rule = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee';
  const listener = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2';
  assert.deepEqual(routeFromArn(rule), { kind: 'rule', arn: rule });
  assert.deepEqual(routeFromArn(listener), { kind: 'listener', arn: listener });
  assert.equal(routeFromArn('arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/x/1'), undefined);
  const record = readRecord([
    { key: TAG.state, value: encodeState(STATE) },
    { key: TAG.route, value: rule },
    { key: TAG.promote, value: encodePromote({ run: STATE.run, step: 3, at: T0, by: 'bob' }) },
    { key: 'team', value: 'payments' },
  ]);
  assert.deepEqual(record, { state: STATE, route: { kind: 'rule', arn: rule }, promote: { run: STATE.run, step: 3, at: T0, by: 'bob' }, abort: undefined });
});
