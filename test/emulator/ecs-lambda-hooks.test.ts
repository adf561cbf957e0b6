import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { ContinueServiceDeploymentCommand, UpdateServiceCommand, type DeploymentLifecycleHook } from '@aws-sdk/client-ecs';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { TEST_CREDENTIALS, TEST_REGION, uniqueName } from '../support/clients.js';
import { blueGreenStack, deploy, describe, follow, versionAt, type Stack } from './ecs-blue-green-stack.js';
import { eventually } from './ecs-fakes.js';

/** The stack helper's clock speed: virtual seconds per real second. */
const SPEED = 50;

interface Call {
  at: number;
  payload: {
    executionDetails: { serviceArn: string; targetServiceRevisionArn: string; testTrafficWeights: Record<string, number>; productionTrafficWeights: Record<string, number> };
    executionId: string;
    lifecycleStage: string;
    resourceArn: string;
    hookDetails?: unknown;
  };
}

/** A local HTTP endpoint standing in for the hook's Lambda function: it answers from a script and records each call. */
async function hookEndpoint(t: { after: (fn: () => Promise<void>) => void }, answers: unknown[]): Promise<{ url: string; calls: Call[] }> {
  const calls: Call[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      calls.push({ at: Date.now(), payload: JSON.parse(body) as Call['payload'] });
      const answer = answers[Math.min(calls.length, answers.length) - 1];
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, calls };
}

/** A BLUE_GREEN stack whose deployment configuration has the hooks `hooksFor` makes around one Lambda function answering `answers` in turn. */
async function stackWithHooks(
  t: Parameters<typeof blueGreenStack>[0], answers: unknown[], hooksFor: (functionArn: string) => DeploymentLifecycleHook[],
) {
  const stack = await blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
  const endpoint = await hookEndpoint(t, answers);
  const lambda = new LambdaClient({ endpoint: stack.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  t.after(async () => lambda.destroy());
  const fn = await lambda.send(new CreateFunctionCommand({
    FunctionName: uniqueName('hook'), Role: 'arn:aws:iam::000000000000:role/hook', Code: {},
    Environment: { Variables: { ECS_ROLLOUT_LOCAL_URL: endpoint.url } },
  }));
  const functionArn = fn.FunctionArn ?? '';
  await stack.ecs.send(new UpdateServiceCommand({
    cluster: stack.cluster, service: stack.service,
    deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0, lifecycleHooks: hooksFor(functionArn) },
  }));
  return { stack, functionArn, calls: endpoint.calls };
}

const lambdaHook = (functionArn: string, stages: DeploymentLifecycleHook['lifecycleStages'], extra: Partial<DeploymentLifecycleHook> = {}): DeploymentLifecycleHook => ({
  targetType: 'AWS_LAMBDA', hookTargetArn: functionArn, roleArn: 'arn:aws:iam::000000000000:role/ecs-hooks', lifecycleStages: stages, ...extra,
});

/** A BLUE_GREEN stack whose POST_TEST_TRAFFIC_SHIFT runs a Lambda hook answering `answers` in turn. */
const hookedStack = (t: Parameters<typeof blueGreenStack>[0], answers: unknown[], timeoutConfiguration?: DeploymentLifecycleHook['timeoutConfiguration']) =>
  stackWithHooks(t, answers, (arn) => [
    lambdaHook(arn, ['POST_TEST_TRAFFIC_SHIFT'], { hookDetails: { suite: 'smoke' }, ...(timeoutConfiguration ? { timeoutConfiguration } : {}) }),
  ]);

const finished = (stack: Stack, arn: string) => follow(stack, arn, (d) => d.status === 'SUCCESSFUL' || d.status === 'ROLLBACK_SUCCESSFUL' || d.status === 'ROLLBACK_FAILED');

test('ECS Lambda hook SUCCEEDED at POST_TEST_TRAFFIC_SHIFT: invoked once with ECS payload, the deployment completes', async (t) => {
  const { stack, functionArn, calls } = await hookedStack(t, [{ hookStatus: 'SUCCEEDED' }]);
  const arn = await deploy(stack);
  await finished(stack, arn);
  const record = await describe(stack, arn);
  assert.equal(record.status, 'SUCCESSFUL');
  assert.equal(await versionAt(stack.productionUrl), 'v2');
  const hook = record.lifecycleHookDetails?.[0];
  assert.equal(hook?.targetType, 'AWS_LAMBDA');
  assert.equal(hook?.targetArn, functionArn);
  assert.equal(hook?.status, 'SUCCEEDED');
  assert.equal(hook?.timeoutAction, 'ROLLBACK');

  assert.equal(calls.length, 1);
  const payload = calls[0]?.payload;
  const target = record.targetServiceRevision?.arn ?? '';
  const source = record.sourceServiceRevisions?.[0]?.arn ?? '';
  assert.equal(payload?.lifecycleStage, 'POST_TEST_TRAFFIC_SHIFT');
  assert.equal(payload?.resourceArn, arn);
  assert.equal(payload?.executionId, hook?.hookId);
  assert.deepEqual(payload?.hookDetails, { suite: 'smoke' });
  assert.equal(payload?.executionDetails.serviceArn, record.serviceArn);
  assert.equal(payload?.executionDetails.targetServiceRevisionArn, target);
  assert.deepEqual(payload?.executionDetails.testTrafficWeights, { [source]: 0, [target]: 100 });
  assert.deepEqual(payload?.executionDetails.productionTrafficWeights, { [source]: 100, [target]: 0 });
});

test('ECS Lambda hook FAILED: the deployment rolls back before production moved', async (t) => {
  const { stack, calls } = await hookedStack(t, [{ hookStatus: 'FAILED' }]);
  const arn = await deploy(stack);
  const seen = await finished(stack, arn);
  const record = await describe(stack, arn);
  assert.equal(record.status, 'ROLLBACK_SUCCESSFUL');
  assert.ok(seen.every((s) => s.production <= 0), `production never moved: ${JSON.stringify(seen)}`);
  assert.equal(record.lifecycleHookDetails?.[0]?.status, 'FAILED');
  assert.match(record.rollback?.reason ?? '', /lifecycle hook .* failed: the function returned hookStatus FAILED/);
  assert.equal(record.targetServiceRevision?.requestedTestTrafficWeight, 0);
  assert.equal(await versionAt(stack.productionUrl), 'v1');
  assert.equal(calls.length, 1);
});

test('ECS Lambda hook IN_PROGRESS twice then SUCCEEDED: re-invoked after callBackDelay, hookDetails carried over', async (t) => {
  const delaySeconds = 10;
  const { stack, calls } = await hookedStack(t, [
    { hookStatus: 'IN_PROGRESS', callBackDelay: delaySeconds, hookDetails: { attempt: 1 } },
    { hookStatus: 'IN_PROGRESS', callBackDelay: delaySeconds, hookDetails: { attempt: 2 } },
    { hookStatus: 'SUCCEEDED' },
  ]);
  const arn = await deploy(stack);
  const waiting = await eventually('the hook to be IN_PROGRESS', async () => {
    const d = await describe(stack, arn);
    return d.lifecycleHookDetails?.[0]?.status === 'IN_PROGRESS' ? d : undefined;
  }, 30_000);
  assert.equal(waiting.lifecycleStage, 'POST_TEST_TRAFFIC_SHIFT');
  await finished(stack, arn);
  assert.equal((await describe(stack, arn)).status, 'SUCCESSFUL');
  assert.equal(calls.length, 3);
  assert.deepEqual(calls.map((c) => c.payload.hookDetails), [{ suite: 'smoke' }, { attempt: 1 }, { attempt: 2 }]);
  assert.equal(new Set(calls.map((c) => c.payload.executionId)).size, 1, 'one execution across re-invocations');
  const minGapMs = (delaySeconds * 1000) / SPEED;
  for (let i = 1; i < calls.length; i += 1) {
    const gap = (calls[i]?.at ?? 0) - (calls[i - 1]?.at ?? 0);
    // 10 ms of slack for timer granularity at the clock's speed.
    assert.ok(gap >= minGapMs - 10, `call ${i + 1} came ${gap} ms after the previous one; callBackDelay is ${minGapMs} ms at speed ${SPEED}`);
  }
});

test('ECS Lambda hook that never finishes: TIMED_OUT after timeoutInMinutes, and the timeout action ROLLBACK rolls back', async (t) => {
  const { stack, calls } = await hookedStack(t, [{ hookStatus: 'IN_PROGRESS', callBackDelay: 15 }], { timeoutInMinutes: 1, action: 'ROLLBACK' });
  const arn = await deploy(stack);
  const seen = await finished(stack, arn);
  const record = await describe(stack, arn);
  assert.equal(record.status, 'ROLLBACK_SUCCESSFUL');
  assert.equal(record.lifecycleHookDetails?.[0]?.status, 'TIMED_OUT');
  assert.match(record.rollback?.reason ?? '', /timed out/);
  assert.ok(seen.every((s) => s.production <= 0), `production never moved: ${JSON.stringify(seen)}`);
  // 60 s of hook time, re-invoked every 15 s: about five calls.
  assert.ok(calls.length >= 3 && calls.length <= 6, `calls: ${calls.length}`);
});

test('ECS Lambda and PAUSE hooks on one stage: the stage waits for both, even after the function SUCCEEDED', async (t) => {
  const { stack, calls } = await stackWithHooks(t, [{ hookStatus: 'SUCCEEDED' }], (arn) => [
    lambdaHook(arn, ['POST_TEST_TRAFFIC_SHIFT']),
    { targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] },
  ]);
  const arn = await deploy(stack);
  const paused = await eventually('the Lambda hook to succeed while the PAUSE hook waits', async () => {
    const d = await describe(stack, arn);
    const byType = new Map(d.lifecycleHookDetails?.map((h) => [h.targetType, h.status]));
    return byType.get('AWS_LAMBDA') === 'SUCCEEDED' && byType.get('PAUSE') === 'AWAITING_ACTION' ? d : undefined;
  }, 30_000);
  assert.equal(paused.lifecycleStage, 'POST_TEST_TRAFFIC_SHIFT');
  assert.equal(paused.status, 'IN_PROGRESS');
  assert.equal(calls.length, 1);
  // Still there a virtual minute later: the Lambda's answer alone does not move the stage.
  await new Promise((resolve) => setTimeout(resolve, 60_000 / SPEED));
  assert.equal((await describe(stack, arn)).lifecycleStage, 'POST_TEST_TRAFFIC_SHIFT');
  assert.equal(await versionAt(stack.productionUrl), 'v1');

  const pause = paused.lifecycleHookDetails?.find((h) => h.targetType === 'PAUSE');
  await stack.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: pause?.hookId, action: 'CONTINUE' }));
  await finished(stack, arn);
  assert.equal((await describe(stack, arn)).status, 'SUCCESSFUL');
  assert.equal(await versionAt(stack.productionUrl), 'v2');
});

test('ECS rollback re-runs the TEST_TRAFFIC_SHIFT and PRODUCTION_TRAFFIC_SHIFT Lambda hooks, production first, with the weights back on blue', async (t) => {
  const { stack, calls } = await stackWithHooks(t, [{ hookStatus: 'SUCCEEDED' }], (arn) => [
    lambdaHook(arn, ['TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT']),
    { targetType: 'PAUSE', lifecycleStages: ['POST_PRODUCTION_TRAFFIC_SHIFT'] },
  ]);
  const arn = await deploy(stack);
  const paused = await eventually('the PAUSE hook after production moved', async () => {
    const d = await describe(stack, arn);
    return d.lifecycleHookDetails?.some((h) => h.targetType === 'PAUSE' && h.status === 'AWAITING_ACTION') ? d : undefined;
  }, 30_000);
  assert.deepEqual(calls.map((c) => c.payload.lifecycleStage), ['TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT']);

  const pause = paused.lifecycleHookDetails?.find((h) => h.targetType === 'PAUSE');
  await stack.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: pause?.hookId, action: 'ROLLBACK' }));
  await finished(stack, arn);
  const record = await describe(stack, arn);
  assert.equal(record.status, 'ROLLBACK_SUCCESSFUL');
  assert.deepEqual(calls.map((c) => c.payload.lifecycleStage), ['TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'TEST_TRAFFIC_SHIFT']);
  const target = record.targetServiceRevision?.arn ?? '';
  const [, forwardProduction, rollbackProduction, rollbackTest] = calls.map((c) => c.payload.executionDetails);
  assert.equal(forwardProduction?.productionTrafficWeights[target], 100);
  assert.equal(rollbackProduction?.productionTrafficWeights[target], 0, 'the rollback hook runs once production is back on blue');
  assert.equal(rollbackTest?.testTrafficWeights[target], 0);
  assert.equal(new Set(calls.map((c) => c.payload.executionId)).size, 4, 'each run is its own execution');
  assert.equal(record.lifecycleHookDetails?.filter((h) => h.targetType === 'AWS_LAMBDA' && h.status === 'SUCCEEDED').length, 4);
  assert.equal(await versionAt(stack.productionUrl), 'v1');
});
