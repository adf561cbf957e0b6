import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import {
  CreateFunctionCommand, DeleteFunctionCommand, GetFunctionCommand, InvokeCommand, LambdaClient, ListFunctionsCommand,
} from '@aws-sdk/client-lambda';
import { TEST_CREDENTIALS, TEST_REGION, uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';

const ROLE = 'arn:aws:iam::000000000000:role/hook';
const decode = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');
const encode = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value));

async function lambdaClient(t: Parameters<typeof startTestEmulator>[0]): Promise<LambdaClient> {
  const { emulator } = await startTestEmulator(t);
  const lambda = new LambdaClient({ endpoint: emulator.url, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  t.after(async () => lambda.destroy());
  return lambda;
}

/** A node one-liner as a function command: reads the payload from stdin. */
const nodeCommand = (script: string): string => JSON.stringify([process.execPath, '-e', script]);

test('Lambda API: CreateFunction, GetFunction, ListFunctions, DeleteFunction round trip with AWS errors', async (t) => {
  const lambda = await lambdaClient(t);
  const name = uniqueName('fn');
  const created = await lambda.send(new CreateFunctionCommand({
    FunctionName: name, Role: ROLE, Runtime: 'nodejs20.x', Handler: 'index.handler', Code: { ZipFile: new Uint8Array([1, 2, 3]) },
    Environment: { Variables: { ECS_ROLLOUT_LOCAL_URL: 'http://127.0.0.1:9/hook', STAGE: 'test' } }, Tags: { team: 'web' },
  }));
  assert.equal(created.FunctionArn, `arn:aws:lambda:us-east-1:000000000000:function:${name}`);
  assert.equal(created.State, 'Active');
  assert.equal(created.Timeout, 3);
  assert.equal(created.CodeSize, 3);
  assert.match(created.LastModified ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);

  const got = await lambda.send(new GetFunctionCommand({ FunctionName: created.FunctionArn }));
  assert.equal(got.Configuration?.FunctionName, name);
  assert.equal(got.Configuration?.Environment?.Variables?.STAGE, 'test');
  assert.deepEqual(got.Tags, { team: 'web' });

  const listed = await lambda.send(new ListFunctionsCommand({}));
  assert.deepEqual(listed.Functions?.map((f) => f.FunctionName), [name]);

  await assert.rejects(
    lambda.send(new CreateFunctionCommand({ FunctionName: name, Role: ROLE, Code: {}, Environment: { Variables: { ECS_ROLLOUT_LOCAL_URL: 'http://127.0.0.1:9/' } } })),
    (err: Error) => err.name === 'ResourceConflictException' && err.message === `Function already exist: ${name}`,
  );
  await assert.rejects(
    lambda.send(new CreateFunctionCommand({ FunctionName: uniqueName('fn'), Role: ROLE, Code: {} })),
    (err: Error) => err.name === 'InvalidParameterValueException' && /ECS_ROLLOUT_LOCAL_URL/.test(err.message),
  );

  await lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
  const missing = `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
  for (const op of [new GetFunctionCommand({ FunctionName: name }), new DeleteFunctionCommand({ FunctionName: name }), new InvokeCommand({ FunctionName: name })]) {
    await assert.rejects(lambda.send(op as never), (err: Error & { $metadata?: { httpStatusCode?: number } }) =>
      err.name === 'ResourceNotFoundException' && err.message === `Function not found: ${missing}` && err.$metadata?.httpStatusCode === 404);
  }
});

test('Lambda Invoke: a command function gets the payload on stdin; its stdout is the result; a non-zero exit is Unhandled', async (t) => {
  const lambda = await lambdaClient(t);
  const echo = uniqueName('echo');
  await lambda.send(new CreateFunctionCommand({
    FunctionName: echo, Role: ROLE, Code: {},
    Environment: { Variables: {
      GREETING: 'hi',
      ECS_ROLLOUT_LOCAL_COMMAND: nodeCommand(`let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const p=JSON.parse(s);process.stdout.write(JSON.stringify({got:p,greeting:process.env.GREETING,name:process.env.AWS_LAMBDA_FUNCTION_NAME}))})`),
    } },
  }));
  const out = await lambda.send(new InvokeCommand({ FunctionName: echo, Payload: encode({ hello: 'world', note: 'Action=Describe' }) }));
  assert.equal(out.StatusCode, 200);
  assert.equal(out.FunctionError, undefined);
  assert.equal(out.ExecutedVersion, '$LATEST');
  assert.deepEqual(JSON.parse(decode(out.Payload)), { got: { hello: 'world', note: 'Action=Describe' }, greeting: 'hi', name: echo });

  const crash = uniqueName('crash');
  await lambda.send(new CreateFunctionCommand({
    FunctionName: crash, Role: ROLE, Code: {},
    Environment: { Variables: { ECS_ROLLOUT_LOCAL_COMMAND: nodeCommand(`console.error('boom');process.exit(3)`) } },
  }));
  const failed = await lambda.send(new InvokeCommand({ FunctionName: crash, Payload: encode({}) }));
  assert.equal(failed.StatusCode, 200);
  assert.equal(failed.FunctionError, 'Unhandled');
  const error = JSON.parse(decode(failed.Payload)) as { errorType: string; errorMessage: string };
  assert.equal(error.errorType, 'Runtime.ExitError');
  assert.match(error.errorMessage, /Runtime exited with error: exit status 3\nboom/);

  const slow = uniqueName('slow');
  await lambda.send(new CreateFunctionCommand({
    FunctionName: slow, Role: ROLE, Code: {}, Timeout: 1,
    Environment: { Variables: { ECS_ROLLOUT_LOCAL_COMMAND: nodeCommand('setTimeout(()=>{}, 60000)') } },
  }));
  const timedOut = await lambda.send(new InvokeCommand({ FunctionName: slow }));
  assert.equal(timedOut.FunctionError, 'Unhandled');
  assert.match(decode(timedOut.Payload), /Task timed out after 1.00 seconds/);
});

test('Lambda Invoke: a URL function gets the payload POSTed; its response body is the result; an HTTP error is Unhandled', async (t) => {
  const lambda = await lambdaClient(t);
  const received: unknown[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body));
      if (req.url === '/fail') {
        res.writeHead(500).end('nope');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ hookStatus: 'SUCCEEDED' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const ok = uniqueName('url');
  await lambda.send(new CreateFunctionCommand({ FunctionName: ok, Role: ROLE, Code: {}, Environment: { Variables: { ECS_ROLLOUT_LOCAL_URL: `${base}/hook` } } }));
  const out = await lambda.send(new InvokeCommand({ FunctionName: ok, Payload: encode({ n: 1 }) }));
  assert.equal(out.FunctionError, undefined);
  assert.deepEqual(JSON.parse(decode(out.Payload)), { hookStatus: 'SUCCEEDED' });
  assert.deepEqual(received, [{ n: 1 }]);

  const bad = uniqueName('url');
  await lambda.send(new CreateFunctionCommand({ FunctionName: bad, Role: ROLE, Code: {}, Environment: { Variables: { ECS_ROLLOUT_LOCAL_URL: `${base}/fail` } } }));
  const failed = await lambda.send(new InvokeCommand({ FunctionName: bad, Payload: encode({ n: 2 }) }));
  assert.equal(failed.FunctionError, 'Unhandled');
  assert.match(decode(failed.Payload), /answered HTTP 500: nope/);

  await assert.rejects(
    lambda.send(new InvokeCommand({ FunctionName: ok, InvocationType: 'Event' })),
    (err: Error) => err.name === 'InvalidParameterValueException' && /synchronously only/.test(err.message),
  );
  const dry = await lambda.send(new InvokeCommand({ FunctionName: ok, InvocationType: 'DryRun' }));
  assert.equal(dry.StatusCode, 204);
  assert.equal(received.length, 2, 'DryRun does not run the function');
});
