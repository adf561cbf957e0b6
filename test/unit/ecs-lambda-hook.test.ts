import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hookAnswer, hookPayload, type HookAnswer, type HookInvocation } from '../../src/emulator/runtime/scheduler/lambda-hook.js';

test('hookAnswer: what each function answer means for the deployment', () => {
  const returned = (value: unknown): HookInvocation => ({ kind: 'returned', payload: typeof value === 'string' ? value : JSON.stringify(value) });
  const cases: Array<[string, HookInvocation, HookAnswer['kind'], RegExp | number | undefined]> = [
    ['SUCCEEDED', returned({ hookStatus: 'SUCCEEDED' }), 'succeeded', undefined],
    ['FAILED', returned({ hookStatus: 'FAILED' }), 'failed', /hookStatus FAILED/],
    ['IN_PROGRESS with a delay', returned({ hookStatus: 'IN_PROGRESS', callBackDelay: 60 }), 'in-progress', 60],
    ['IN_PROGRESS without a delay', returned({ hookStatus: 'IN_PROGRESS' }), 'in-progress', 30],
    ['IN_PROGRESS with a negative delay', returned({ hookStatus: 'IN_PROGRESS', callBackDelay: -5 }), 'in-progress', 30],
    ['no hookStatus', returned({ ok: true }), 'failed', /no valid hookStatus \(null\)/],
    ['an unknown hookStatus', returned({ hookStatus: 'succeeded' }), 'failed', /no valid hookStatus \("succeeded"\)/],
    ['not JSON', returned('hello'), 'failed', /not JSON/],
    ['a JSON array', returned([1]), 'failed', /no valid hookStatus/],
    ['a function error', { kind: 'function-error', payload: JSON.stringify({ errorType: 'Runtime.ExitError', errorMessage: 'exit status 1' }) }, 'failed', /function failed \(Runtime.ExitError: exit status 1\)/],
    ['a missing function', { kind: 'not-found' }, 'failed', /does not exist/],
  ];
  for (const [name, invocation, kind, detail] of cases) {
    const answer = hookAnswer(invocation);
    assert.equal(answer.kind, kind, name);
    if (answer.kind === 'failed' && detail instanceof RegExp) assert.match(answer.why, detail, name);
    if (answer.kind === 'in-progress') assert.equal(answer.delaySeconds, detail, name);
  }
  const carried = hookAnswer(returned({ hookStatus: 'IN_PROGRESS', hookDetails: { n: 2 } }));
  assert.deepEqual(carried.kind === 'in-progress' ? carried.hookDetails : undefined, { n: 2 });
});

test('hookPayload: weights per revision, hookDetails only when there are some', () => {
  const base = {
    serviceArn: 'svc', serviceDeploymentArn: 'sd', targetServiceRevisionArn: 'green', sourceServiceRevisionArn: 'blue',
    lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT', executionId: 'h1', productionPercent: 10, testPercent: 100, hookDetails: undefined,
  };
  assert.deepEqual(hookPayload(base), {
    executionDetails: {
      serviceArn: 'svc', targetServiceRevisionArn: 'green',
      testTrafficWeights: { blue: 0, green: 100 }, productionTrafficWeights: { blue: 90, green: 10 },
    },
    executionId: 'h1', lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT', resourceArn: 'sd',
  });
  const first = hookPayload({ ...base, sourceServiceRevisionArn: undefined, hookDetails: { a: 1 } });
  assert.deepEqual((first.executionDetails as { productionTrafficWeights: unknown }).productionTrafficWeights, { green: 10 });
  assert.deepEqual(first.hookDetails, { a: 1 });
});
