import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateCondition, formatNumber, type MeasuredValue } from '../../src/analysis/condition-evaluate.js';
import { describe, identifiersOf, parseCondition } from '../../src/analysis/condition.js';

const RESULT = ['result'];
const COMPARE = ['result', 'canary', 'stable'];

function evaluate(source: string, values: Record<string, MeasuredValue | undefined>, identifiers = COMPARE) {
  const parsed = parseCondition(source, identifiers);
  assert.ok(parsed.ok, `${source}: ${parsed.ok ? '' : parsed.message}`);
  return evaluateCondition(parsed.condition, values);
}

test('conditions: evaluation table (true/false)', () => {
  const cases: Array<[string, Record<string, MeasuredValue>, boolean]> = [
    ['result <= 1', { result: 1 }, true],
    ['result <= 1', { result: 1.0001 }, false],
    ['result < 1', { result: 1 }, false],
    ['result > 5', { result: 7 }, true],
    ['result >= 5', { result: 5 }, true],
    ['result == 3', { result: 3 }, true],
    ['result != 3', { result: 3 }, false],
    ['result == true', { result: true }, true],
    ['result', { result: true }, true],
    ['result', { result: false }, false],
    ['!result', { result: false }, true],
    ['not result', { result: true }, false],
    ["result == 'ok'", { result: 'ok' }, true],
    ['result == "ok"', { result: 'degraded' }, false],
    ['result != "ok"', { result: 'degraded' }, true],
    ['canary > stable + 1', { canary: 3, stable: 1 }, true],
    ['canary > stable + 1', { canary: 2, stable: 1 }, false],
    ['canary <= stable * 1.1', { canary: 1.1, stable: 1 }, true],
    ['canary <= stable * 1.1', { canary: 1.2, stable: 1 }, false],
    ['canary - stable < 0.5 && canary < 10', { canary: 3, stable: 2.7 }, true],
    ['canary - stable < 0.5 and canary < 10', { canary: 3, stable: 2 }, false],
    ['result > 10 || result < 0', { result: -1 }, true],
    ['result > 10 or result < 0', { result: 5 }, false],
    ['abs(canary - stable) <= 0.2', { canary: 0.9, stable: 1.05 }, true],
    ['abs(canary - stable) <= 0.2', { canary: 0.7, stable: 1 }, false],
    ['max(canary, stable, 1) == 3', { canary: 3, stable: 2 }, true],
    ['min(canary, stable) == 2', { canary: 3, stable: 2 }, true],
    ['-result > 2', { result: -3 }, true],
    ['--result == 4', { result: 4 }, true],
    ['(result + 1) * 2 == 8', { result: 3 }, true],
    ['result + 1 * 2 == 5', { result: 3 }, true],
    ['result / 4 == 0.25', { result: 1 }, true],
    ['result - 1 - 1 == 1', { result: 3 }, true],
    ['result / 2 / 2 == 1', { result: 4 }, true],
    ['1e3 == result', { result: 1000 }, true],
    ['.5 == result', { result: 0.5 }, true],
    ['true', {}, true],
    ['false || result < 1', { result: 0 }, true],
    ['!(result > 5)', { result: 3 }, true],
    ['result > 1 && result < 5 || result == 10', { result: 10 }, true],
    ['result == 1 || result == 2 && false', { result: 1 }, true],
  ];
  for (const [source, values, expected] of cases) {
    assert.deepEqual(evaluate(source, values), { ok: true, value: expected }, `${source} with ${JSON.stringify(values)}`);
  }
});

test('conditions: what cannot be decided is an error (the measurement becomes Error), never a pass or fail', () => {
  const cases: Array<[string, Record<string, MeasuredValue | undefined>, RegExp]> = [
    ['result <= 1', { result: Number.NaN }, /result is NaN/],
    ['canary > stable', { canary: 1, stable: Number.NaN }, /stable is NaN/],
    ['result / 0 > 1', { result: 1 }, /division by zero in result \/ 0/],
    ['canary / stable > 1.2', { canary: 1, stable: 0 }, /division by zero in canary \/ stable/],
    ['result <= 1', { result: 'ok' }, /'<=' needs a number, but result is 'ok' \(text\)/],
    ['result + 1 > 2', { result: true }, /'\+' needs a number, but result is true/],
    ['result && true', { result: 3 }, /'&&' needs true or false, but result is 3/],
    ['result', { result: 7 }, /the condition gave 7, not true or false/],
    ['result == 1', { result: 'x' }, /'==' compares result = 'x' \(text\) with 1 = 1/],
    ['result <= 1', {}, /result has no value in this measurement/],
    ['result - result > 1', { result: Number.POSITIVE_INFINITY }, /result - result is NaN/],
  ];
  for (const [source, values, message] of cases) {
    const evaluation = evaluate(source, values);
    assert.equal(evaluation.ok, false, source);
    assert.match(evaluation.ok ? '' : evaluation.message, message, source);
  }
});

test('conditions: && and || short-circuit, so a guard protects the side that cannot be measured', () => {
  assert.deepEqual(evaluate('stable > 0 && canary / stable > 2', { canary: 1, stable: 0 }), { ok: true, value: false });
  assert.deepEqual(evaluate('stable == 0 || canary / stable > 2', { canary: 1, stable: 0 }), { ok: true, value: true });
});

test('conditions: bad expressions are refused when the file is read, saying what and where', () => {
  const cases: Array<[string, readonly string[], RegExp]> = [
    ['', RESULT, /the condition ends too soon/],
    ['result <=', RESULT, /the condition ends too soon; expected a number, a name or \(/],
    ['result = 1', RESULT, /'=' is not an operator; compare with == \(column 8 of 'result = 1'\)/],
    ['result & 1', RESULT, /'&' is not an operator; use &&/],
    ['result | 1', RESULT, /'\|' is not an operator; use \|\|/],
    ['result > 1 )', RESULT, /unexpected '\)'; expected an operator or the end \(column 12/],
    ['(result > 1', RESULT, /expected '\)' to close the '\(' at column 1/],
    ['1 < result < 5', RESULT, /comparisons do not chain; join them with &&/],
    ['value > 1', RESULT, /unknown name value; this metric provides result/],
    ['canary > stable', RESULT, /unknown name canary \(canary is defined with compare: stable\); this metric provides result/],
    ['sqrt(result) > 1', RESULT, /unknown function sqrt\(\); the functions are abs, min, max/],
    ['abs(result, 1) > 1', RESULT, /abs\(\) takes one argument, got 2/],
    ['max() > 1', RESULT, /max\(\) takes at least one argument/],
    ['max(result 1) > 1', RESULT, /expected ',' or '\)' in the arguments of max\(\)/],
    ['result + 1', RESULT, /'result \+ 1' gives a number, not true or false; compare it, e.g. result \+ 1 <= 1/],
    ['1 + true > 0', RESULT, /'\+' needs a number, got true \(a boolean\)/],
    ['result > 1 && 5', RESULT, /'&&' needs a boolean, got 5 \(a number\)/],
    ['!5', RESULT, /'!' needs a boolean, got 5/],
    ["1 == 'one'", RESULT, /'==' compares 1 \(a number\) with 'one' \(a text\); it is never equal/],
    ["result == 'ok", RESULT, /text starting with ' is not closed/],
    ['result # 1', RESULT, /unexpected '#'/],
    ["'slow' > 1", RESULT, /'>' needs a number, got 'slow' \(a text\)/],
  ];
  for (const [source, identifiers, message] of cases) {
    const parsed = parseCondition(source, identifiers);
    assert.equal(parsed.ok, false, source);
    assert.match(parsed.ok ? '' : parsed.message, message, source);
  }
});

test('conditions: identifiers in use, and conditions written back with their grouping', () => {
  const parsed = parseCondition('canary > stable * 1.1 && canary > 2 || result == 0', COMPARE);
  assert.ok(parsed.ok);
  assert.deepEqual(identifiersOf(parsed.condition), ['canary', 'stable', 'result']);
  const grouped = parseCondition('-(result + 1) * 2 > abs(result)', RESULT);
  assert.ok(grouped.ok);
  assert.equal(describe(grouped.condition), '(-(result + 1) * 2) > abs(result)');
});

test('numbers in messages carry no float noise', () => {
  assert.equal(formatNumber(0.1 + 0.2), '0.3');
  assert.equal(formatNumber(12.345678), '12.3457');
  assert.equal(formatNumber(5), '5');
  assert.equal(formatNumber(Number.POSITIVE_INFINITY), 'Infinity');
});
