import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateAlarm, evaluationRangeLength, type Evaluation, type TreatMissingData } from '../../src/emulator/services/cloudwatch/alarm-evaluation.js';
import { javaDouble, reasonDate, stateReason, stateReasonData } from '../../src/emulator/services/cloudwatch/alarm-reasons.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);

/**
 * A range written as the CloudWatch guide writes it, oldest first:
 * 0 a point within the threshold, X a breaching one, - a missing one.
 */
function range(pattern: string): Array<{ timestamp: number; value: number | undefined }> {
  return pattern.split(' ').map((c, i) => ({ timestamp: T0 + i * MINUTE, value: c === 'X' ? 10 : c === '0' ? 1 : undefined }));
}

function outcome(e: Evaluation): string {
  return e.outcome === 'retain' ? 'retain' : e.state;
}

const TREATMENTS: TreatMissingData[] = ['missing', 'ignore', 'breaching', 'notBreaching'];

function check(m: number, rows: Array<[string, string, string, string, string]>): void {
  for (const [pattern, ...expected] of rows) {
    TREATMENTS.forEach((treatMissingData, i) => {
      const result = evaluateAlarm({
        range: range(pattern), threshold: 5, comparison: 'GreaterThanThreshold', evaluationPeriods: 3, datapointsToAlarm: m, treatMissingData,
      });
      assert.equal(outcome(result), expected[i], `${m} of 3, ${pattern}, ${treatMissingData}`);
    });
  }
}

test('alarm evaluation: 3 of 3 over a range of 5, as the CloudWatch guide tables it', () => {
  assert.equal(evaluationRangeLength(3), 5);
  check(3, [
    // data points     MISSING              IGNORE    BREACHING  NOT BREACHING
    ['0 - X - X', 'OK', 'OK', 'OK', 'OK'],
    ['0 - - - -', 'OK', 'OK', 'OK', 'OK'],
    ['- - - - -', 'INSUFFICIENT_DATA', 'retain', 'ALARM', 'OK'],
    ['0 X X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
    ['- - X - -', 'ALARM', 'retain', 'ALARM', 'OK'],
    // Premature alarm avoidance: a lone breaching point newer than M periods does not alarm yet.
    ['- - - - X', 'INSUFFICIENT_DATA', 'retain', 'ALARM', 'OK'],
    ['- - - X -', 'INSUFFICIENT_DATA', 'retain', 'ALARM', 'OK'],
    ['X - - - -', 'ALARM', 'retain', 'ALARM', 'OK'],
  ]);
});

test('alarm evaluation: 2 of 3 (M out of N) over a range of 5, as the CloudWatch guide tables it', () => {
  check(2, [
    ['0 - X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
    ['0 0 X 0 X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
    ['0 - X - -', 'OK', 'OK', 'ALARM', 'OK'],
    ['- - - - 0', 'OK', 'OK', 'ALARM', 'OK'],
    ['- - - X -', 'ALARM', 'retain', 'ALARM', 'OK'],
    ['- - - - X', 'INSUFFICIENT_DATA', 'retain', 'ALARM', 'OK'],
  ]);
});

test('alarm evaluation: with N real points the N most recent decide, and missing data is not filled', () => {
  const e = evaluateAlarm({
    range: range('X X 0 - 0'), threshold: 5, comparison: 'GreaterThanThreshold', evaluationPeriods: 3, datapointsToAlarm: 2, treatMissingData: 'breaching',
  });
  assert.equal(outcome(e), 'OK');
  assert.deepEqual(e.outcome === 'state' ? e.evaluated.map((p) => [p.value, p.filled]) : [], [[10, false], [1, false], [1, false]]);
});

test('alarm evaluation: each comparison operator, at and around the threshold', () => {
  const table: Array<[string, number, boolean]> = [
    ['GreaterThanThreshold', 5, false], ['GreaterThanThreshold', 5.01, true],
    ['GreaterThanOrEqualToThreshold', 5, true], ['GreaterThanOrEqualToThreshold', 4.99, false],
    ['LessThanThreshold', 5, false], ['LessThanThreshold', 4.99, true],
    ['LessThanOrEqualToThreshold', 5, true], ['LessThanOrEqualToThreshold', 5.01, false],
  ];
  for (const [comparison, value, alarms] of table) {
    const e = evaluateAlarm({
      range: [{ timestamp: T0, value }], threshold: 5, comparison: comparison as 'GreaterThanThreshold',
      evaluationPeriods: 1, datapointsToAlarm: 1, treatMissingData: 'missing',
    });
    assert.equal(outcome(e), alarms ? 'ALARM' : 'OK', `${value} ${comparison} 5`);
  }
});

test('state reasons: numbers as Java doubles, dates as dd/MM/yy HH:mm:ss', () => {
  assert.deepEqual([javaDouble(12), javaDouble(5), javaDouble(0.5), javaDouble(6.046241709654764), javaDouble(1e-4), javaDouble(12345678), javaDouble(-3), javaDouble(0)],
    ['12.0', '5.0', '0.5', '6.046241709654764', '1.0E-4', '1.2345678E7', '-3.0', '0.0']);
  assert.equal(reasonDate(T0), '21/11/26 10:00:00');
});

test('state reasons: AWS wording for ALARM, OK, M out of N, missing data and INSUFFICIENT_DATA', () => {
  const at = (i: number) => T0 + i * MINUTE;
  const base = { threshold: 5, comparison: 'GreaterThanThreshold' as const, evaluationPeriods: 1, datapointsToAlarm: 1, mOfN: false, treatMissingData: 'missing' as const };
  assert.equal(
    stateReason({ ...base, state: 'ALARM', evaluated: [{ timestamp: at(0), value: 12, breaching: true, filled: false }] }),
    'Threshold Crossed: 1 datapoint [12.0 (21/11/26 10:00:00)] was greater than the threshold (5.0).',
  );
  assert.equal(
    stateReason({ ...base, state: 'OK', evaluated: [{ timestamp: at(1), value: 1, breaching: false, filled: false }] }),
    'Threshold Crossed: 1 datapoint [1.0 (21/11/26 10:01:00)] was not greater than the threshold (5.0).',
  );
  assert.equal(
    stateReason({
      ...base, evaluationPeriods: 3, datapointsToAlarm: 2, mOfN: true, state: 'ALARM',
      evaluated: [
        { timestamp: at(0), value: 12, breaching: true, filled: false },
        { timestamp: at(1), value: 1, breaching: false, filled: false },
        { timestamp: at(2), value: 7.5, breaching: true, filled: false },
      ],
    }),
    'Threshold Crossed: 2 out of the last 3 datapoints [7.5 (21/11/26 10:02:00), 12.0 (21/11/26 10:00:00)] were greater than the threshold (5.0) (minimum 2 datapoints for OK -> ALARM transition).',
  );
  assert.equal(
    stateReason({ ...base, treatMissingData: 'breaching', state: 'ALARM', evaluated: [{ timestamp: at(0), value: undefined, breaching: true, filled: true }] }),
    'Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [Breaching].',
  );
  assert.equal(stateReason({ ...base, evaluationPeriods: 2, state: 'INSUFFICIENT_DATA', evaluated: [] }), 'Insufficient Data: 2 datapoints were unknown.');
});

test('state reason data: the JSON document CloudWatch attaches, newest evaluated point first', () => {
  const data = JSON.parse(stateReasonData({
    nowMs: T0 + 3 * MINUTE + 1234,
    range: [{ timestamp: T0, value: undefined }, { timestamp: T0 + MINUTE, value: 2, sampleCount: 4 }, { timestamp: T0 + 2 * MINUTE, value: 12, sampleCount: 6 }],
    evaluated: [{ timestamp: T0 + 2 * MINUTE, value: 12, breaching: true, filled: false }],
    threshold: 5,
    statistic: 'Sum',
    periodSeconds: 60,
  })) as Record<string, unknown>;
  assert.deepEqual(data, {
    version: '1.0',
    queryDate: '2026-11-21T10:03:01.234+0000',
    startDate: '2026-11-21T10:00:00.000+0000',
    statistic: 'Sum',
    period: 60,
    recentDatapoints: [2, 12],
    threshold: 5,
    evaluatedDatapoints: [{ timestamp: '2026-11-21T10:02:00.000+0000', sampleCount: 6, value: 12 }],
  });
});
