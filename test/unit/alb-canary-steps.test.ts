import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveAlbCanary } from '../../src/spec/alb-canary.js';
import { describeStep, exponentialSteps, largestWeight, linearSteps, type CanaryStep } from '../../src/spec/canary-steps.js';
import { parseConfigText } from '../../src/spec/config-file.js';
import { RolloutError } from '../../src/spec/errors.js';

const RULE = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee';
const LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2';

const weights = (steps: CanaryStep[]): number[] => steps.flatMap((s) => (s.kind === 'set-weight' ? [s.weight] : []));

const linearCases: Array<{ step: number; expected: number[] }> = [
  { step: 20, expected: [20, 40, 60, 80] },
  { step: 25, expected: [25, 50, 75] },
  { step: 30, expected: [30, 60, 90] },
  { step: 50, expected: [50] },
  { step: 99, expected: [99] },
  { step: 100, expected: [] },
];
for (const c of linearCases) {
  test(`linear step ${c.step}: weights ${c.expected.join(', ') || 'none'} (never 100: promotion takes it from there)`, () => {
    assert.deepEqual(weights(linearSteps({ step: c.step, intervalMs: 60_000 })), c.expected);
  });
}

const exponentialCases: Array<{ start: number; factor: number; expected: number[] }> = [
  { start: 5, factor: 2, expected: [5, 10, 20, 40, 80] },
  { start: 1, factor: 3, expected: [1, 3, 9, 27, 81] },
  { start: 10, factor: 1.5, expected: [10, 15, 23, 34, 51, 76] },
  // A power that rounds to the last weight or below is raised by one: every step adds traffic.
  { start: 1, factor: 1.5, expected: [1, 2, 3, 4, 5, 8, 11, 17, 26, 38, 58, 86] },
  { start: 60, factor: 2, expected: [60] },
];
for (const c of exponentialCases) {
  test(`exponential start ${c.start} factor ${c.factor}: weights ${c.expected.join(', ')}`, () => {
    assert.deepEqual(weights(exponentialSteps({ start: c.start, factor: c.factor, intervalMs: 60_000 })), c.expected);
  });
}

test('generators put the interval (and the analysis, when named) after every weight', () => {
  assert.deepEqual(linearSteps({ step: 40, intervalMs: 60_000, analysis: 'errors' }), [
    { kind: 'set-weight', weight: 40 },
    { kind: 'pause', durationMs: 60_000 },
    { kind: 'analysis', name: 'errors' },
    { kind: 'set-weight', weight: 80 },
    { kind: 'pause', durationMs: 60_000 },
    { kind: 'analysis', name: 'errors' },
  ]);
  assert.deepEqual(exponentialSteps({ start: 50, factor: 2, intervalMs: 0 }), [{ kind: 'set-weight', weight: 50 }]);
});

test('steps read as the user wrote them; the largest weight sizes the canary', () => {
  const steps: CanaryStep[] = [{ kind: 'set-weight', weight: 10 }, { kind: 'pause', durationMs: 120_000 }, { kind: 'manual-gate' }, { kind: 'analysis', name: 'error-rate' }, { kind: 'set-weight', weight: 25 }];
  assert.deepEqual(steps.map(describeStep), ['setWeight 10', 'pause 2m', 'pause (until promote)', 'analysis error-rate', 'setWeight 25']);
  assert.equal(largestWeight(steps), 25);
  assert.equal(largestWeight([]), 0);
});

test('config: the alb executor block parses and resolves to steps', () => {
  const config = parseConfigText(
    [
      'strategy:',
      '  type: canary',
      '  executor: alb',
      '  alb:',
      `    listenerRule: ${RULE}`,
      '    canaryService: web-canary',
      '    canaryCount: 2',
      '  steps:',
      '    - setWeight: 10',
      '    - pause: 2m',
      '    - pause: { duration: 30s }',
      '    - analysis: error-rate',
      '    - pause: {}',
    ].join('\n'),
    'ecs-rollout.yaml',
  );
  assert.equal(config.strategy?.executor, 'alb');
  assert.deepEqual(resolveAlbCanary(config.strategy), {
    route: { kind: 'rule', arn: RULE },
    canaryService: 'web-canary',
    canaryCount: 2,
    steps: [
      { kind: 'set-weight', weight: 10 },
      { kind: 'pause', durationMs: 120_000 },
      { kind: 'pause', durationMs: 30_000 },
      { kind: 'analysis', name: 'error-rate' },
      { kind: 'manual-gate' },
    ],
    notes: [],
  });
  const generated = parseConfigText(`strategy:\n  alb: { listener: ${LISTENER}, canaryService: c }\n  steps: { exponential: { start: 5, factor: 2, interval: 1m } }\n`, 'f.yaml');
  const settings = resolveAlbCanary(generated.strategy);
  assert.deepEqual(settings.route, { kind: 'listener', arn: LISTENER });
  assert.deepEqual(weights(settings.steps), [5, 10, 20, 40, 80]);
});

test('config: errors name the field and the fix', () => {
  const cases: Array<[string, RegExp]> = [
    ['strategy: { executor: argo }', /strategy\.executor: expected ecs \(ECS moves traffic\) or alb/],
    [`strategy: { alb: { canaryService: c } }`, /strategy\.alb: name exactly one of listenerRule .* or listener/],
    [`strategy: { alb: { listenerRule: ${RULE}, listener: ${LISTENER}, canaryService: c } }`, /strategy\.alb: name exactly one of listenerRule/],
    [`strategy: { alb: { listenerRule: rule-1, canaryService: c } }`, /strategy\.alb\.listenerRule: expected an ARN like arn:aws:elasticloadbalancing/],
    [`strategy: { alb: { listenerRule: ${RULE} } }`, /strategy\.alb\.canaryService: expected a name/],
    [`strategy: { alb: { listenerRule: ${RULE}, canaryService: c, canaryCount: 0 } }`, /strategy\.alb\.canaryCount: must be at least 1/],
    [`strategy: { alb: { listenerRule: ${RULE}, canaryService: c, weight: 5 } }`, /strategy\.alb\.weight: unknown field; the fields are listenerRule, listener, canaryService, canaryCount/],
    ['strategy: { steps: [{ setWeight: 120 }] }', /strategy\.steps\.0\.setWeight: must be at most 100/],
    ['strategy: { steps: [{ setWeight: 12.5 }] }', /strategy\.steps\.0\.setWeight: expected a whole percentage/],
    ['strategy: { steps: [{ setWeight: 10, pause: 1m }] }', /strategy\.steps\.0: a step holds exactly one of setWeight, pause, analysis/],
    ['strategy: { steps: [{ wait: 1m }] }', /strategy\.steps\.0\.wait: unknown step; a step is one of setWeight/],
    ['strategy: { steps: [{ pause: soon }] }', /strategy\.steps\.0\.pause: expected a duration like 2m, or \{\} to wait for ecs-rollout promote/],
    ['strategy: { steps: { linear: { step: 20 } } }', /strategy\.steps\.linear\.interval: expected a duration like 90s or 15m/],
    ['strategy: { steps: { linear: { step: 20, interval: 1m }, exponential: { start: 1, factor: 2, interval: 1m } } }', /strategy\.steps: name exactly one generator: linear or exponential/],
    ['strategy: { steps: { curve: { step: 20 } } }', /strategy\.steps\.curve: unknown generator; steps is a list of steps, or \{ linear/],
    ['strategy: { steps: 5 }', /strategy\.steps: expected a list of steps, or a generator/],
    ['strategy: { steps: [] }', /strategy\.steps: list at least one step/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseConfigText(text, 'ecs-rollout.yaml'), (err: unknown) => err instanceof RolloutError && err.code === 'InvalidConfig' && message.test(err.message), text);
  }
});

test('resolve: the alb executor needs its block and steps, and runs a canary only', () => {
  const fails = (strategy: Parameters<typeof resolveAlbCanary>[0], message: RegExp): void => {
    assert.throws(() => resolveAlbCanary(strategy), (err: unknown) => err instanceof RolloutError && err.code === 'InvalidConfig' && message.test(err.message));
  };
  const alb = { listenerRule: RULE, canaryService: 'c' };
  fails(undefined, /ecs-rollout\.yaml: strategy\.alb: the alb executor needs alb: \{ listenerRule: ARN \(or listener: ARN\), canaryService: NAME \}/);
  fails({ alb }, /strategy\.steps: the alb executor needs steps/);
  fails({ type: 'linear', alb, steps: [{ setWeight: 10 }] }, /strategy\.type: the alb executor runs a canary; set type: canary/);
  fails({ alb, steps: [{ setWeight: 0 }, { pause: '1m' }] }, /strategy\.steps: no step gives the canary traffic/);
  const noted = resolveAlbCanary({ alb, steps: [{ setWeight: 10 }], canary: { percent: 5 }, gates: [{}] });
  assert.equal(noted.notes.length, 2);
});
