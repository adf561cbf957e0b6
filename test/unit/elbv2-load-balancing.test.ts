import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matches, parseMatcher } from '../../src/emulator/runtime/load-balancer/health-matcher.js';
import { applyCheck, INITIAL_HEALTH, type CheckResult, type HealthState } from '../../src/emulator/runtime/load-balancer/health-state.js';
import { eligibleTargets, type Candidate } from '../../src/emulator/runtime/load-balancer/target-selection.js';
import { initialWeightedState, nextWeighted } from '../../src/emulator/runtime/load-balancer/weighted-choice.js';
import { countOutcome, emptyCounters } from '../../src/emulator/runtime/load-balancer/traffic-metrics.js';

function picks(weights: number[], n: number): number[] {
  const counts = weights.map(() => 0);
  let state = initialWeightedState(weights.length);
  for (let i = 0; i < n; i++) {
    const next = nextWeighted(weights, state);
    assert.ok(next);
    counts[next.index] = (counts[next.index] ?? 0) + 1;
    state = next.state;
  }
  return counts;
}

test('weighted choice: shares follow the weights exactly over whole cycles', () => {
  const table: Array<{ weights: number[]; n: number; expected: number[] }> = [
    { weights: [10, 90], n: 1000, expected: [100, 900] },
    { weights: [1, 1], n: 10, expected: [5, 5] },
    { weights: [0, 5], n: 7, expected: [0, 7] },
    { weights: [1, 2, 7], n: 100, expected: [10, 20, 70] },
    { weights: [999, 1], n: 1000, expected: [999, 1] },
  ];
  for (const row of table) assert.deepEqual(picks(row.weights, row.n), row.expected, JSON.stringify(row.weights));
});

test('weighted choice: all-zero weights choose nothing; a reshaped weight list starts over', () => {
  assert.equal(nextWeighted([0, 0], initialWeightedState(2)), undefined);
  const next = nextWeighted([1, 1, 1], { current: [5, -5] });
  assert.equal(next?.index, 0);
});

test('weighted choice: a 10/90 split never lets the small side go twice in a row', () => {
  let state = initialWeightedState(2);
  let previous = -1;
  for (let i = 0; i < 100; i++) {
    const next = nextWeighted([10, 90], state);
    assert.ok(next);
    if (next.index === 0) assert.notEqual(previous, 0);
    previous = next.index;
    state = next.state;
  }
});

test('health matcher: codes, lists and ranges', () => {
  const table: Array<{ code: string; ok: boolean; yes?: number[]; no?: number[] }> = [
    { code: '200', ok: true, yes: [200], no: [201, 404] },
    { code: '200,202', ok: true, yes: [200, 202], no: [201] },
    { code: '200-299', ok: true, yes: [200, 250, 299], no: [300, 199] },
    { code: '200-204,301,404', ok: true, yes: [204, 301, 404], no: [205, 500] },
    { code: '500', ok: false },
    { code: '299-200', ok: false },
    { code: 'abc', ok: false },
    { code: '200,', ok: false },
  ];
  for (const row of table) {
    const parsed = parseMatcher(row.code);
    assert.equal(parsed.ok, row.ok, row.code);
    if (!parsed.ok) continue;
    for (const s of row.yes ?? []) assert.equal(matches(parsed.ranges, s), true, `${row.code} ${s}`);
    for (const s of row.no ?? []) assert.equal(matches(parsed.ranges, s), false, `${row.code} ${s}`);
  }
});

test('health state: transitions follow ALB thresholds', () => {
  const ok: CheckResult = { ok: true };
  const bad: CheckResult = { ok: false, reason: 'Target.ResponseCodeMismatch', status: 503 };
  const thresholds = { healthy: 3, unhealthy: 2 };
  const run = (start: HealthState, results: CheckResult[]): string[] => {
    const states: string[] = [];
    let h = start;
    for (const r of results) {
      h = applyCheck(h, r, thresholds);
      states.push(h.state);
    }
    return states;
  };
  const table: Array<{ name: string; results: CheckResult[]; expected: string[] }> = [
    { name: 'new target: one success is enough', results: [ok], expected: ['healthy'] },
    { name: 'new target failing', results: [bad, bad], expected: ['initial', 'unhealthy'] },
    { name: 'one failure is tolerated', results: [ok, bad, ok, bad], expected: ['healthy', 'healthy', 'healthy', 'healthy'] },
    { name: 'recovery needs the healthy threshold', results: [ok, bad, bad, ok, ok, ok], expected: ['healthy', 'healthy', 'unhealthy', 'unhealthy', 'unhealthy', 'healthy'] },
    { name: 'a failure resets the success streak', results: [bad, bad, ok, ok, bad, ok, ok, ok], expected: ['initial', 'unhealthy', 'unhealthy', 'unhealthy', 'unhealthy', 'unhealthy', 'unhealthy', 'healthy'] },
  ];
  for (const row of table) assert.deepEqual(run(INITIAL_HEALTH, row.results), row.expected, row.name);
  const unhealthy = applyCheck(applyCheck(INITIAL_HEALTH, bad, thresholds), bad, thresholds);
  assert.deepEqual(unhealthy.lastFailure, bad);
});

test('target selection: healthy first, fail open, never draining', () => {
  const t = (health: Candidate['health'], draining = false): Candidate => ({ health, draining });
  const table: Array<{ name: string; candidates: Candidate[]; expected: number[] }> = [
    { name: 'only healthy ones', candidates: [t('healthy'), t('unhealthy'), t('healthy')], expected: [0, 2] },
    { name: 'fail open when none healthy', candidates: [t('unhealthy'), t('initial')], expected: [0, 1] },
    { name: 'draining excluded even when failing open', candidates: [t('unhealthy', true), t('unhealthy')], expected: [1] },
    { name: 'draining healthy target excluded', candidates: [t('healthy', true), t('initial')], expected: [1] },
    { name: 'nothing left', candidates: [t('healthy', true)], expected: [] },
    { name: 'health checks disabled count as routable', candidates: [t('unavailable'), t('initial')], expected: [0] },
  ];
  for (const row of table) assert.deepEqual(eligibleTargets(row.candidates), row.expected, row.name);
});

test('traffic counters: target classes and ELB codes', () => {
  const c = emptyCounters();
  countOutcome(c, { kind: 'target', status: 200, responseSeconds: 0.5 });
  countOutcome(c, { kind: 'target', status: 404, responseSeconds: 1.5 });
  countOutcome(c, { kind: 'elb', status: 502, connectionError: true });
  countOutcome(c, { kind: 'elb', status: 503 });
  assert.equal(c.RequestCount, 4);
  assert.equal(c.HTTPCode_Target_2XX_Count, 1);
  assert.equal(c.HTTPCode_Target_4XX_Count, 1);
  assert.equal(c.HTTPCode_ELB_5XX_Count, 2);
  assert.equal(c.HTTPCode_ELB_502_Count, 1);
  assert.equal(c.TargetConnectionErrorCount, 1);
  assert.deepEqual(c.TargetResponseTime, { sum: 2, count: 2, max: 1.5 });
});
