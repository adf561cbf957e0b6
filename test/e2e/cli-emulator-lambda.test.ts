import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { runCli } from '../../examples/lib/sample-stack.js';
import { TEST_CREDENTIALS, TEST_REGION, uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';

const hook = `process.stdin.resume(); let s = ''; process.stdin.on('data', (d) => (s += d)); process.stdin.on('end', () => process.stdout.write(JSON.stringify({ hookStatus: 'SUCCEEDED', echoed: JSON.parse(s).n })));`;

test('emulator lambda maps a function to a local command; invoking it runs the command with the payload', async (t) => {
  const { emulator } = await startTestEmulator(t);
  const lambda = new LambdaClient({ endpoint: emulator.url, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  t.after(async () => lambda.destroy());
  const name = uniqueName('approve');
  const env = { AWS_ENDPOINT_URL: emulator.url };

  const created = await runCli(['emulator', 'lambda', name, '--', process.execPath, '-e', hook], env);
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout.trim(), new RegExp(`^arn:aws:lambda:us-east-1:000000000000:function:${name}$`));

  const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify({ n: 7 })) }));
  assert.equal(out.FunctionError, undefined);
  assert.deepEqual(JSON.parse(Buffer.from(out.Payload ?? []).toString()), { hookStatus: 'SUCCEEDED', echoed: 7 });

  const again = await runCli(['emulator', 'lambda', name, '--url', 'http://127.0.0.1:9/hook'], env);
  assert.equal(again.code, 0, again.stderr);

  const bad = await runCli(['emulator', 'lambda', name], env);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--url/);
});
