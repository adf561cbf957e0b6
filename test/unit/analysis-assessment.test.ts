import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addMeasurement, assessMetric, EMPTY_TALLY, endsAnalysis, judgeMeasurement, worstPhase, type MetricPhase } from '../../src/analysis/assessment.js';
import type { MeasuredValue } from '../../src/analysis/condition-evaluate.js';
import { parseCondition } from '../../src/analysis/condition.js';
import type { AnalysisPhase } from '../../src/analysis/contract.js';
import type { MetricLimits, ParsedConditionSource } from '../../src/spec/analysis.js';

const ARGO_DEFAULTS: MetricLimits = { count: 1, failureLimit: 0, inconclusiveLimit: 0, consecutiveErrorLimit: 4, consecutiveSuccessLimit: 0 };

function condition(source: string | undefined): ParsedConditionSource | undefined {
  if (source === undefined) return undefined;
  const parsed = parseCondition(source, ['result', 'canary', 'stable']);
  assert.ok(parsed.ok, source);
  return { source, condition: parsed.condition };
}

/** The metric phase after measurements with these phases, in order. */
function after(phases: readonly AnalysisPhase[], limits: Partial<MetricLimits> = {}): { phase: MetricPhase; reason: string } {
  const tally = phases.reduce(addMeasurement, EMPTY_TALLY);
  return assessMetric({ ...ARGO_DEFAULTS, ...limits }, tally);
}

const S = 'Successful';
const F = 'Failed';
const I = 'Inconclusive';
const E = 'Error';

test('measurement: success and failure conditions decide as Argo evaluates them', () => {
  const cases: Array<[success: string | undefined, failure: string | undefined, value: MeasuredValue, phase: AnalysisPhase]> = [
    // No conditions: always Successful.
    [undefined, undefined, 123, S],
    // Only successCondition: not matching is Failed.
    ['result <= 1', undefined, 0.5, S],
    ['result <= 1', undefined, 2, F],
    // Only failureCondition: not matching is Successful.
    [undefined, 'result > 5', 7, F],
    [undefined, 'result > 5', 5, S],
    // Both: failure wins, success passes, neither is Inconclusive.
    ['result <= 1', 'result > 5', 0.5, S],
    ['result <= 1', 'result > 5', 9, F],
    ['result <= 1', 'result > 5', 3, I],
    // Both hold: Failed (the failure condition is checked first in Argo's switch).
    ['result >= 0', 'result > 5', 9, F],
    // A condition that cannot be evaluated: Error, whichever it is.
    ['result <= 1', 'result > 5', Number.NaN, E],
    [undefined, 'result > 5', 'fast', E],
    ['result <= 1', undefined, true, E],
  ];
  for (const [success, failure, value, phase] of cases) {
    const judged = judgeMeasurement({ successCondition: condition(success), failureCondition: condition(failure) }, { result: value });
    assert.equal(judged.phase, phase, `success ${success} failure ${failure} value ${value}: ${judged.message}`);
  }
});

test('measurement: messages carry the figures and the condition that decided', () => {
  const both = { successCondition: condition('result <= 1'), failureCondition: condition('result > 5') };
  assert.equal(judgeMeasurement(both, { result: 7 }).message, "result = 7: failureCondition 'result > 5' holds");
  assert.equal(judgeMeasurement(both, { result: 3 }).message, "result = 3: neither successCondition 'result <= 1' nor failureCondition 'result > 5' holds");
  assert.equal(judgeMeasurement({ successCondition: condition('result <= 1'), failureCondition: undefined }, { result: 2 }).message, "result = 2: successCondition 'result <= 1' does not hold");
  assert.match(judgeMeasurement(both, { result: Number.NaN }).message, /could not evaluate successCondition 'result <= 1' with result = NaN: result is NaN/);
  const compare = { successCondition: undefined, failureCondition: condition('canary > stable + 1') };
  assert.equal(judgeMeasurement(compare, { result: 3, canary: 3, stable: 1 }).message, "canary = 3, stable = 1: failureCondition 'canary > stable + 1' holds");
});

test('metric phase: Argo limits table', () => {
  const cases: Array<[phases: AnalysisPhase[], limits: Partial<MetricLimits>, expected: MetricPhase, why: string]> = [
    // count and the default limits (failureLimit 0, inconclusiveLimit 0, consecutiveErrorLimit 4)
    [[S], {}, S, 'one success reaches count 1'],
    [[S], { count: 3 }, 'Running', 'count not reached'],
    [[S, S, S], { count: 3 }, S, 'count reached'],
    [[F], {}, F, 'failed 1 > failureLimit 0'],
    [[S, F], { count: 4 }, F, 'a failure ends the metric before count'],
    [[I], {}, I, 'inconclusive 1 > inconclusiveLimit 0'],
    [[S, I], { count: 3 }, I, 'inconclusive before count'],
    // failureLimit
    [[F], { failureLimit: 1, count: 3 }, 'Running', 'failed 1 = failureLimit 1 is tolerated'],
    [[F, S, S], { failureLimit: 1, count: 3 }, S, 'count reached with failures within the limit: Successful'],
    [[F, F], { failureLimit: 1, count: 3 }, F, 'failed 2 > failureLimit 1'],
    [[F, F, F], { failureLimit: -1, consecutiveSuccessLimit: 2, count: 5 }, 'Running', 'failureLimit -1: failures are not counted'],
    // inconclusiveLimit
    [[I, S], { inconclusiveLimit: 1, count: 2 }, S, 'inconclusive within its limit'],
    [[I, I], { inconclusiveLimit: 1, count: 3 }, I, 'inconclusive 2 > 1'],
    // errors: not counted towards count; consecutive errors > limit is Error
    [[E], {}, 'Running', 'one error of 4 allowed; count not reached (errors do not count)'],
    [[E, E, E, E], {}, 'Running', '4 consecutive errors = limit 4'],
    [[E, E, E, E, E], {}, E, '5 consecutive errors > 4'],
    [[E, E, E, E, S], {}, S, 'a success after errors reaches count 1'],
    [[E, E, S, E, E, E, S], { count: 2 }, S, 'a success resets consecutive errors'],
    [[E, E, F], { failureLimit: 1, count: 3 }, 'Running', 'a failure resets consecutive errors too'],
    [[E], { consecutiveErrorLimit: 0 }, E, 'consecutiveErrorLimit 0: the first error ends it'],
    [[E, E], { consecutiveErrorLimit: 1, count: 3 }, E, 'two errors > 1'],
    // consecutiveSuccessLimit (Argo 1.8)
    [[S, S], { consecutiveSuccessLimit: 2, count: 5 }, S, 'consecutive successes reached before count'],
    [[S, I], { consecutiveSuccessLimit: 2, inconclusiveLimit: 5, count: 2 }, I, 'count reached, success limit not reached, failureLimit set: Inconclusive'],
    [[S, F, S], { consecutiveSuccessLimit: 2, failureLimit: -1, count: 3 }, F, 'count reached without the success limit and failureLimit -1: Failed'],
    [[F, S, S], { consecutiveSuccessLimit: 2, failureLimit: -1, count: 5 }, S, 'failureLimit -1: two successes after a failure pass'],
    [[F, S], { consecutiveSuccessLimit: 2, failureLimit: 0, count: 5 }, F, 'failureLimit crossed takes priority over the success limit'],
  ];
  for (const [phases, limits, expected, why] of cases) {
    const assessment = after(phases, limits);
    assert.equal(assessment.phase, expected, `${why}: [${phases.join(', ')}] ${JSON.stringify(limits)} -> ${assessment.phase} (${assessment.reason})`);
  }
});

test('metric phase: when several limits are crossed, the last checked wins (Error over Inconclusive over Failed), as in Argo', () => {
  const tally = { count: 2, successful: 0, failed: 1, inconclusive: 1, error: 5, consecutiveError: 5, consecutiveSuccess: 0 };
  assert.equal(assessMetric(ARGO_DEFAULTS, tally).phase, 'Error');
  assert.equal(assessMetric(ARGO_DEFAULTS, { ...tally, consecutiveError: 0 }).phase, 'Inconclusive');
  assert.equal(assessMetric(ARGO_DEFAULTS, { ...tally, consecutiveError: 0, inconclusive: 0 }).phase, 'Failed');
});

test('metric phase: reasons name the limit and its figures', () => {
  assert.equal(after([F, F], { failureLimit: 1, count: 3 }).reason, 'failed 2 > failureLimit 1');
  assert.equal(after([I]).reason, 'inconclusive 1 > inconclusiveLimit 0');
  assert.equal(after([E, E, E, E, E]).reason, 'consecutive errors 5 > consecutiveErrorLimit 4');
  assert.equal(after([S, E, S], { count: 2 }).reason, 'count 2 reached: 2 successful, 1 error');
  assert.equal(after([S]).reason, 'count 1 reached: 1 successful');
});

test('tally counts like Argo MetricResult', () => {
  const tally = ([S, E, E, F, I, S, S] as AnalysisPhase[]).reduce(addMeasurement, EMPTY_TALLY);
  assert.deepEqual(tally, { count: 5, successful: 3, failed: 1, inconclusive: 1, error: 2, consecutiveError: 0, consecutiveSuccess: 2 });
});

test('analysis verdict: any Failed, else any Error, else any Inconclusive, else Successful', () => {
  const cases: Array<[AnalysisPhase[], AnalysisPhase]> = [
    [[], S],
    [[S, S], S],
    [[S, I], I],
    [[I, E, S], E],
    [[E, F, I], F],
    [[F], F],
    [[I, I], I],
  ];
  for (const [phases, expected] of cases) assert.equal(worstPhase(phases), expected, phases.join(', '));
});

test('a metric that ends Failed, Error or Inconclusive ends the analysis; Successful and Running do not', () => {
  assert.deepEqual(
    (['Successful', 'Running', 'Failed', 'Error', 'Inconclusive'] as MetricPhase[]).map(endsAnalysis),
    [false, false, true, true, true],
  );
});
