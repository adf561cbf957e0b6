import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  DeleteParameterCommand, DescribeParametersCommand, GetParameterCommand, GetParametersByPathCommand, GetParametersCommand,
  PutParameterCommand, SSMClient,
} from '@aws-sdk/client-ssm';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { TEST_CREDENTIALS, TEST_REGION, uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';

type Hooks = Parameters<typeof startTestEmulator>[0];

function ssmClient(t: Hooks, endpoint: string, region = TEST_REGION): SSMClient {
  const client = new SSMClient({ endpoint, region, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  t.after(async () => client.destroy());
  return client;
}

async function started(t: Hooks): Promise<{ ssm: SSMClient; url: string }> {
  const { emulator } = await startTestEmulator(t);
  return { ssm: ssmClient(t, emulator.url), url: emulator.url };
}

const awsError = (name: string, message?: string) => (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
  assert.equal(err.name, name);
  if (message !== undefined) assert.equal(err.message, message);
  assert.equal(err.$metadata?.httpStatusCode, 400);
  return true;
};

const ARN_PREFIX = 'arn:aws:ssm:us-east-1:000000000000:parameter';

test('SSM: PutParameter, GetParameter by name and by ARN, Overwrite versions', async (t) => {
  const { ssm } = await started(t);
  const name = `/${uniqueName('app')}/db/host`;
  const put = await ssm.send(new PutParameterCommand({ Name: name, Value: 'db.internal', Type: 'String', Description: 'database host' }));
  assert.equal(put.Version, 1);
  assert.equal(put.Tier, 'Standard');

  for (const ref of [name, `${ARN_PREFIX}${name}`]) {
    const got = (await ssm.send(new GetParameterCommand({ Name: ref }))).Parameter;
    assert.equal(got?.Name, name, ref);
    assert.equal(got?.Value, 'db.internal');
    assert.equal(got?.Type, 'String');
    assert.equal(got?.Version, 1);
    assert.equal(got?.ARN, `${ARN_PREFIX}${name}`);
    assert.equal(got?.DataType, 'text');
    assert.ok(got?.LastModifiedDate instanceof Date);
  }

  // A name outside any hierarchy: its ARN gets the slash, and the ARN finds it.
  const plain = uniqueName('plain');
  await ssm.send(new PutParameterCommand({ Name: plain, Value: 'p', Type: 'String' }));
  const byArn = (await ssm.send(new GetParameterCommand({ Name: `${ARN_PREFIX}/${plain}` }))).Parameter;
  assert.equal(byArn?.Name, plain);
  assert.equal(byArn?.ARN, `${ARN_PREFIX}/${plain}`);

  await assert.rejects(
    ssm.send(new PutParameterCommand({ Name: name, Value: 'other', Type: 'String' })),
    awsError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.'),
  );
  const overwritten = await ssm.send(new PutParameterCommand({ Name: name, Value: 'db2.internal', Overwrite: true }));
  assert.equal(overwritten.Version, 2);
  const latest = (await ssm.send(new GetParameterCommand({ Name: name }))).Parameter;
  assert.equal(latest?.Value, 'db2.internal');
  assert.equal(latest?.Type, 'String');
  const old = (await ssm.send(new GetParameterCommand({ Name: `${name}:1` }))).Parameter;
  assert.equal(old?.Value, 'db.internal');
  assert.equal(old?.Selector, ':1');
  await assert.rejects(ssm.send(new GetParameterCommand({ Name: `${name}:9` })), awsError('ParameterVersionNotFound'));
});

test('SSM: SecureString values need WithDecryption; StringList values come back as written', async (t) => {
  const { ssm } = await started(t);
  const secret = `/${uniqueName('app')}/api-key`;
  await ssm.send(new PutParameterCommand({ Name: secret, Value: 'sk-123', Type: 'SecureString' }));
  const hidden = (await ssm.send(new GetParameterCommand({ Name: secret }))).Parameter;
  assert.equal(hidden?.Type, 'SecureString');
  assert.notEqual(hidden?.Value, 'sk-123');
  assert.match(hidden?.Value ?? '', /^[A-Za-z0-9+/]+=*$/);
  const shown = (await ssm.send(new GetParameterCommand({ Name: secret, WithDecryption: true }))).Parameter;
  assert.equal(shown?.Value, 'sk-123');

  const list = `/${uniqueName('app')}/hosts`;
  await ssm.send(new PutParameterCommand({ Name: list, Value: 'a,b,c', Type: 'StringList' }));
  assert.equal((await ssm.send(new GetParameterCommand({ Name: list }))).Parameter?.Value, 'a,b,c');

  const described = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: [secret] }] }));
  assert.equal(described.Parameters?.[0]?.KeyId, 'alias/aws/ssm');
  assert.equal(described.Parameters?.[0]?.Type, 'SecureString');
});

test('SSM: GetParameters lists the names it cannot find in InvalidParameters', async (t) => {
  const { ssm } = await started(t);
  const base = `/${uniqueName('batch')}`;
  await ssm.send(new PutParameterCommand({ Name: `${base}/one`, Value: '1', Type: 'String' }));
  await ssm.send(new PutParameterCommand({ Name: `${base}/two`, Value: '2', Type: 'SecureString' }));
  const out = await ssm.send(new GetParametersCommand({
    Names: [`${base}/one`, `${ARN_PREFIX}${base}/two`, `${base}/missing`, `${ARN_PREFIX}${base}/gone`, `${base}/one:7`],
    WithDecryption: true,
  }));
  assert.deepEqual(out.Parameters?.map((p) => [p.Name, p.Value]), [[`${base}/one`, '1'], [`${base}/two`, '2']]);
  assert.deepEqual(out.InvalidParameters, [`${base}/missing`, `${ARN_PREFIX}${base}/gone`, `${base}/one:7`]);

  const eleven = Array.from({ length: 11 }, (_, i) => `${base}/p${i}`);
  await assert.rejects(ssm.send(new GetParametersCommand({ Names: eleven })), (err: Error) => {
    assert.equal(err.name, 'ValidationException');
    assert.match(err.message, /at 'names' failed to satisfy constraint: Member must have length less than or equal to 10$/);
    return true;
  });
});

test('SSM: errors for missing parameters, bad names, tags with overwrite, missing type', async (t) => {
  const { ssm } = await started(t);
  const missing = `/${uniqueName('nothing')}/here`;
  // AWS answers ParameterNotFound with no message; the SDK then shows its own placeholder.
  await assert.rejects(ssm.send(new GetParameterCommand({ Name: missing })), awsError('ParameterNotFound'));
  await assert.rejects(ssm.send(new DeleteParameterCommand({ Name: missing })), awsError('ParameterNotFound'));
  const badName = 'Parameter name: can\'t be prefixed with "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_';
  for (const name of ['has space', 'no/leading/slash', '/aws/mine', 'ssm-mine']) {
    await assert.rejects(ssm.send(new PutParameterCommand({ Name: name, Value: 'v', Type: 'String' })), awsError('ValidationException', badName), name);
  }
  await assert.rejects(
    ssm.send(new PutParameterCommand({ Name: `/${uniqueName('tagged')}`, Value: 'v', Type: 'String', Overwrite: true, Tags: [{ Key: 'a', Value: 'b' }] })),
    awsError('ValidationException', "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource."),
  );
  await assert.rejects(
    ssm.send(new PutParameterCommand({ Name: `/${uniqueName('untyped')}`, Value: 'v' })),
    awsError('ValidationException', 'A parameter type is required when you create a parameter.'),
  );
  await assert.rejects(
    ssm.send(new PutParameterCommand({ Name: `/${uniqueName('pattern')}`, Value: 'abc', Type: 'String', AllowedPattern: '^\\d+$' })),
    awsError('ParameterPatternMismatchException', 'Parameter value, cannot be validated against allowedPattern: ^\\d+$'),
  );
  await assert.rejects(
    ssm.send(new PutParameterCommand({ Name: `/${uniqueName('big')}`, Value: 'x'.repeat(4097), Type: 'String' })),
    awsError('ValidationException'),
  );
  await assert.rejects(
    ssm.send(new GetParametersByPathCommand({ Path: '/x' })),
    awsError('UnsupportedOperation', 'SSM operation GetParametersByPath is not emulated by ecs-rollout; see docs/emulator-fidelity.md for what is.'),
  );
});

test('SSM: DeleteParameter, and DescribeParameters filters and pages', async (t) => {
  const { ssm } = await started(t);
  const base = `/${uniqueName('tree')}`;
  const names = [`${base}/a`, `${base}/b`, `${base}/deep/c`];
  for (const name of names) await ssm.send(new PutParameterCommand({ Name: name, Value: 'v', Type: name.endsWith('b') ? 'SecureString' : 'String' }));

  const oneLevel = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Path', Values: [base] }] }));
  assert.deepEqual(oneLevel.Parameters?.map((p) => p.Name), [`${base}/a`, `${base}/b`]);
  const recursive = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: [base] }] }));
  assert.deepEqual(recursive.Parameters?.map((p) => p.Name), names);
  assert.equal(recursive.Parameters?.[0]?.ARN, `${ARN_PREFIX}${base}/a`);
  assert.equal(recursive.Parameters?.[0]?.Version, 1);
  assert.equal(recursive.Parameters?.[0]?.LastModifiedUser, 'arn:aws:iam::000000000000:root');
  const secure = await ssm.send(new DescribeParametersCommand({
    ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: [base] }, { Key: 'Type', Values: ['SecureString'] }],
  }));
  assert.deepEqual(secure.Parameters?.map((p) => p.Name), [`${base}/b`]);

  const first = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: [base] }], MaxResults: 2 }));
  assert.equal(first.Parameters?.length, 2);
  const second = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: [base] }], MaxResults: 2, NextToken: first.NextToken }));
  assert.deepEqual(second.Parameters?.map((p) => p.Name), [names[2]]);
  assert.equal(second.NextToken, undefined);
  await assert.rejects(ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Label', Values: ['x'] }] })), awsError('InvalidFilterKey'));

  await ssm.send(new DeleteParameterCommand({ Name: `${base}/a` }));
  await assert.rejects(ssm.send(new GetParameterCommand({ Name: `${base}/a` })), awsError('ParameterNotFound'));
  const left = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: [base] }] }));
  assert.deepEqual(left.Parameters?.map((p) => p.Name), names.slice(1));
});

test('SSM: parameters are per Region and survive a restart', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ecs-rollout-ssm-'));
  let second: Emulator | undefined;
  t.after(async () => {
    await second?.close();
    await rm(dir, { recursive: true, force: true });
  });
  const name = `/${uniqueName('kept')}/value`;
  const first = await startEmulator({ port: 0, stateDir: dir });
  try {
    await ssmClient(t, first.url).send(new PutParameterCommand({ Name: name, Value: 'kept', Type: 'String' }));
    await assert.rejects(ssmClient(t, first.url, 'eu-west-1').send(new GetParameterCommand({ Name: name })), awsError('ParameterNotFound'));
  } finally {
    await first.close();
  }
  second = await startEmulator({ port: 0, stateDir: dir });
  const got = (await ssmClient(t, second.url).send(new GetParameterCommand({ Name: name }))).Parameter;
  assert.equal(got?.Value, 'kept');
  assert.ok(got?.LastModifiedDate instanceof Date);
});
