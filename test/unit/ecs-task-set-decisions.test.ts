import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computedDesiredCount, planTaskSetStep, stabilityOf, type TaskSetTask } from '../../src/emulator/runtime/scheduler/task-set-decisions.js';

const task = (id: string, over: Partial<TaskSetTask> = {}): TaskSetTask => ({
  taskArn: id, live: true, running: true, pending: false, healthy: true, createdAt: 0, ...over,
});

test('computedDesiredCount: desiredCount x scale%, always rounded up; DRAINING wants none', () => {
  const cases: Array<[number, number, boolean, number]> = [
    [2, 100, false, 2], [2, 50, false, 1], [3, 34, false, 2], [3, 33.3333333, false, 1], [4, 10, false, 1],
    [10, 0, false, 0], [0, 100, false, 0], [5, 100, true, 0],
  ];
  for (const [desired, percent, draining, expected] of cases) {
    assert.equal(computedDesiredCount(desired, percent, draining), expected, `${desired} x ${percent}% draining=${draining}`);
  }
});

test('planTaskSetStep: starts what is missing, stops the excess unhealthy and newest first', () => {
  assert.deepEqual(planTaskSetStep(3, [task('a')]), { start: 2, stop: [] });
  assert.deepEqual(planTaskSetStep(1, [task('old', { createdAt: 1 }), task('new', { createdAt: 2 }), task('sick', { healthy: false, createdAt: 0 })]), { start: 0, stop: ['sick', 'new'] });
  // Tasks already on their way to STOPPED do not count: they are replaced.
  assert.deepEqual(planTaskSetStep(2, [task('a'), task('b', { live: false })]), { start: 1, stop: [] });
});

test('stabilityOf: STEADY_STATE only with the computed count running healthy and nothing pending or stopping', () => {
  assert.equal(stabilityOf(2, [task('a'), task('b')]), 'STEADY_STATE');
  assert.equal(stabilityOf(0, []), 'STEADY_STATE');
  assert.equal(stabilityOf(2, [task('a')]), 'STABILIZING');
  assert.equal(stabilityOf(2, [task('a'), task('b', { healthy: false })]), 'STABILIZING');
  assert.equal(stabilityOf(1, [task('a'), task('b', { running: false, pending: true })]), 'STABILIZING');
  assert.equal(stabilityOf(1, [task('a'), task('b', { live: false })]), 'STABILIZING');
});
