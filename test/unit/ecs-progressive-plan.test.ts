import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  nextStage, percentOf, productionSteps, rollbackMoves, rollbackStage, splitWeights, type ProgressiveStage,
} from '../../src/emulator/runtime/scheduler/progressive-plan.js';

test('production steps per strategy', () => {
  const cases: Array<[string, Parameters<typeof productionSteps>[0], Array<[number, number]>]> = [
    ['blue/green: all at once', { strategy: 'BLUE_GREEN' }, [[100, 0]]],
    ['canary defaults: 5% for 10 minutes', { strategy: 'CANARY' }, [[5, 10], [100, 0]]],
    ['canary 10% for 2 minutes', { strategy: 'CANARY', canaryPercent: 10, canaryBakeTimeInMinutes: 2 }, [[10, 2], [100, 0]]],
    ['canary 100% is one step', { strategy: 'CANARY', canaryPercent: 100 }, [[100, 0]]],
    ['linear 25%: no bake after 100', { strategy: 'LINEAR', stepPercent: 25, stepBakeTimeInMinutes: 1 }, [[25, 1], [50, 1], [75, 1], [100, 0]]],
    ['linear 30%: the last step tops up', { strategy: 'LINEAR', stepPercent: 30, stepBakeTimeInMinutes: 0 }, [[30, 0], [60, 0], [90, 0], [100, 0]]],
    ['linear 33.3% keeps tenths', { strategy: 'LINEAR', stepPercent: 33.3, stepBakeTimeInMinutes: 2 }, [[33.3, 2], [66.6, 2], [99.9, 2], [100, 0]]],
    ['linear defaults: 10% every 6 minutes', { strategy: 'LINEAR' }, [10, 20, 30, 40, 50, 60, 70, 80, 90].map((p): [number, number] => [p, 6]).concat([[100, 0]])],
  ];
  for (const [name, settings, expected] of cases) {
    assert.deepEqual(productionSteps(settings).map((s) => [s.percent, s.bakeMinutes]), expected, name);
  }
});

test('split weights stay within ALB weights (0-999) and keep the percent', () => {
  const cases: Array<[number, { blue: number; green: number }]> = [
    [0, { blue: 100, green: 0 }],
    [10, { blue: 90, green: 10 }],
    [100, { blue: 0, green: 100 }],
    [0.1, { blue: 999, green: 1 }],
    [33.3, { blue: 667, green: 333 }],
  ];
  for (const [percent, weights] of cases) {
    assert.deepEqual(splitWeights(percent), weights, `${percent}%`);
    const groups = [{ targetGroupArn: 'blue', weight: weights.blue }, { targetGroupArn: 'green', weight: weights.green }];
    assert.equal(percentOf(groups, 'green'), percent);
  }
  assert.equal(percentOf([], 'green'), 0);
});

test('forward stages in AWS order, with PRE_PRODUCTION_TRAFFIC_SHIFT before every production step', () => {
  const walk = (stepCount: number): string[] => {
    const seen: string[] = [];
    let stage: ProgressiveStage = 'RECONCILE_SERVICE';
    let step = 0;
    for (;;) {
      seen.push(stage.startsWith('PRE_PRODUCTION') || stage === 'PRODUCTION_TRAFFIC_SHIFT' ? `${stage}#${step}` : stage);
      const move = nextStage(stage, step, stepCount);
      if (move.kind === 'done') return seen;
      stage = move.stage;
      step = move.step;
    }
  };
  const head = ['RECONCILE_SERVICE', 'PRE_SCALE_UP', 'SCALE_UP', 'POST_SCALE_UP', 'TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT'];
  const tail = ['POST_PRODUCTION_TRAFFIC_SHIFT', 'BAKE_TIME', 'CLEAN_UP'];
  assert.deepEqual(walk(1), [...head, 'PRE_PRODUCTION_TRAFFIC_SHIFT#0', 'PRODUCTION_TRAFFIC_SHIFT#0', ...tail]);
  assert.deepEqual(walk(2), [
    ...head, 'PRE_PRODUCTION_TRAFFIC_SHIFT#0', 'PRODUCTION_TRAFFIC_SHIFT#0', 'PRE_PRODUCTION_TRAFFIC_SHIFT#1', 'PRODUCTION_TRAFFIC_SHIFT#1', ...tail,
  ]);
});

test('rollback moves: production first, then test, then green; production untouched when it never saw green', () => {
  const cases: Array<[string, { productionPercent: number; testPercent: number }, string[]]> = [
    ['before the test shift', { productionPercent: 0, testPercent: 0 }, ['remove-green']],
    ['after the test shift', { productionPercent: 0, testPercent: 100 }, ['test-to-blue', 'remove-green']],
    ['at a canary step', { productionPercent: 10, testPercent: 100 }, ['production-to-blue', 'test-to-blue', 'remove-green']],
    ['during bake', { productionPercent: 100, testPercent: 100 }, ['production-to-blue', 'test-to-blue', 'remove-green']],
  ];
  for (const [name, state, expected] of cases) assert.deepEqual(rollbackMoves(state).map((m) => m.kind), expected, name);
  assert.deepEqual(rollbackMoves({ productionPercent: 100, testPercent: 100 }).map(rollbackStage), ['PRODUCTION_TRAFFIC_SHIFT', 'TEST_TRAFFIC_SHIFT', 'CLEAN_UP']);
});
