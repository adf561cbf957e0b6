import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, GetSecretValueCommand, ListSecretsCommand,
  PutSecretValueCommand, SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { TEST_CREDENTIALS, TEST_REGION, uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';

type Hooks = Parameters<typeof startTestEmulator>[0];

function secretsClient(t: Hooks, endpoint: string, region = TEST_REGION): SecretsManagerClient {
  const client = new SecretsManagerClient({ endpoint, region, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  t.after(async () => client.destroy());
  return client;
}

async function secrets(t: Hooks): Promise<SecretsManagerClient> {
  const { emulator } = await startTestEmulator(t);
  return secretsClient(t, emulator.url);
}

const awsError = (name: string, message: string) => (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
  assert.equal(err.name, name);
  assert.equal(err.message, message);
  assert.equal(err.$metadata?.httpStatusCode, 400);
  return true;
};

const NOT_FOUND = ['ResourceNotFoundException', "Secrets Manager can't find the specified secret."] as const;

test('Secrets Manager: CreateSecret, DescribeSecret, GetSecretValue by name, full ARN and partial ARN', async (t) => {
  const client = await secrets(t);
  const name = uniqueName('prod/db/password');
  const created = await client.send(new CreateSecretCommand({
    Name: name, SecretString: '{"password":"hunter2"}', Description: 'the database password', Tags: [{ Key: 'team', Value: 'web' }],
  }));
  assert.equal(created.Name, name);
  const suffix = new RegExp(`^arn:aws:secretsmanager:us-east-1:000000000000:secret:${name}-[A-Za-z0-9]{6}$`);
  assert.match(created.ARN ?? '', suffix);
  assert.match(created.VersionId ?? '', /^[0-9a-f-]{36}$/);
  const arn = created.ARN ?? '';
  const partialArn = arn.slice(0, -'-XXXXXX'.length);

  for (const secretId of [name, arn, partialArn]) {
    const described = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
    assert.equal(described.ARN, arn, secretId);
    assert.equal(described.Name, name);
    assert.equal(described.Description, 'the database password');
    assert.deepEqual(described.Tags, [{ Key: 'team', Value: 'web' }]);
    assert.deepEqual(described.VersionIdsToStages, { [created.VersionId ?? '']: ['AWSCURRENT'] });
    assert.ok(described.CreatedDate instanceof Date);
    assert.equal(described.DeletedDate, undefined);

    const value = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    assert.equal(value.SecretString, '{"password":"hunter2"}');
    assert.equal(value.ARN, arn);
    assert.equal(value.VersionId, created.VersionId);
    assert.deepEqual(value.VersionStages, ['AWSCURRENT']);
  }

  // Reading the value records the day it was read (a date without a time).
  const read = await client.send(new DescribeSecretCommand({ SecretId: name }));
  assert.equal((read.LastAccessedDate?.getTime() ?? 1) % 86_400_000, 0);

  // A partial ARN with other trailing characters, or an ARN of another Region, names no secret.
  await assert.rejects(client.send(new DescribeSecretCommand({ SecretId: `${arn}x` })), awsError(...NOT_FOUND));
  await assert.rejects(client.send(new DescribeSecretCommand({ SecretId: arn.replace('us-east-1', 'eu-west-1') })), awsError(...NOT_FOUND));
  await assert.rejects(client.send(new GetSecretValueCommand({ SecretId: uniqueName('missing') })), awsError(...NOT_FOUND));
});

test('Secrets Manager: a binary secret, a secret with no value yet, and version lookups', async (t) => {
  const client = await secrets(t);
  const binaryName = uniqueName('cert');
  await client.send(new CreateSecretCommand({ Name: binaryName, SecretBinary: new Uint8Array([0, 1, 2, 250]) }));
  const binary = await client.send(new GetSecretValueCommand({ SecretId: binaryName }));
  assert.deepEqual([...(binary.SecretBinary ?? [])], [0, 1, 2, 250]);
  assert.equal(binary.SecretString, undefined);

  const empty = uniqueName('empty');
  const created = await client.send(new CreateSecretCommand({ Name: empty }));
  assert.equal(created.VersionId, undefined);
  assert.equal((await client.send(new DescribeSecretCommand({ SecretId: empty }))).VersionIdsToStages, undefined);
  await assert.rejects(
    client.send(new GetSecretValueCommand({ SecretId: empty })),
    awsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT"),
  );

  const named = uniqueName('versioned');
  const first = await client.send(new CreateSecretCommand({ Name: named, SecretString: 'v1' }));
  const byVersion = await client.send(new GetSecretValueCommand({ SecretId: named, VersionId: first.VersionId }));
  assert.equal(byVersion.SecretString, 'v1');
  await assert.rejects(
    client.send(new GetSecretValueCommand({ SecretId: named, VersionId: 'ffffffff-ffff-4fff-8fff-ffffffffffff' })),
    awsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret value for VersionId: ffffffff-ffff-4fff-8fff-ffffffffffff"),
  );
  await assert.rejects(
    client.send(new CreateSecretCommand({ Name: uniqueName('both'), SecretString: 'a', SecretBinary: new Uint8Array([1]) })),
    awsError('InvalidParameterException', "You can't specify both a binary secret value and a string secret value in the same secret."),
  );
  await assert.rejects(
    client.send(new CreateSecretCommand({ Name: 'bad name', SecretString: 'a' })),
    awsError('ValidationException', 'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!'),
  );
  await assert.rejects(
    client.send(new PutSecretValueCommand({ SecretId: named, SecretString: 'v2' })),
    awsError('UnsupportedOperation', 'SecretsManager operation PutSecretValue is not emulated by ecs-rollout; see docs/emulator-fidelity.md for what is.'),
  );
});

test('Secrets Manager: CreateSecret on a taken name; a retried request with the same token succeeds', async (t) => {
  const client = await secrets(t);
  const name = uniqueName('taken');
  const token = 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d';
  const created = await client.send(new CreateSecretCommand({ Name: name, SecretString: 'one', ClientRequestToken: token }));
  const retried = await client.send(new CreateSecretCommand({ Name: name, SecretString: 'one', ClientRequestToken: token }));
  assert.equal(retried.ARN, created.ARN);
  assert.equal(retried.VersionId, token);
  await assert.rejects(
    client.send(new CreateSecretCommand({ Name: name, SecretString: 'two' })),
    awsError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`),
  );
});

test('Secrets Manager: DeleteSecret schedules a deletion, or deletes at once without recovery', async (t) => {
  const client = await secrets(t);
  const name = uniqueName('scheduled');
  const created = await client.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }));
  const before = Date.now();
  const deleted = await client.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
  assert.equal(deleted.ARN, created.ARN);
  assert.equal(deleted.Name, name);
  // Seven virtual days on the emulator's clock (the test emulator runs at speed 20).
  const days = ((deleted.DeletionDate?.getTime() ?? 0) - before) / 86_400_000;
  assert.ok(days >= 7 && days < 7.01, `DeletionDate is ${days} days away`);

  const described = await client.send(new DescribeSecretCommand({ SecretId: name }));
  assert.ok(described.DeletedDate instanceof Date);
  await assert.rejects(
    client.send(new GetSecretValueCommand({ SecretId: name })),
    awsError('InvalidRequestException', "You can't perform this operation on the secret because it was marked for deletion."),
  );
  await assert.rejects(
    client.send(new CreateSecretCommand({ Name: name, SecretString: 'again' })),
    awsError('InvalidRequestException', "You can't create this secret because a secret with this name is already scheduled for deletion."),
  );
  const listed = await client.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [name] }] }));
  assert.deepEqual(listed.SecretList, []);
  const withPlanned = await client.send(new ListSecretsCommand({ IncludePlannedDeletion: true, Filters: [{ Key: 'name', Values: [name] }] }));
  assert.deepEqual(withPlanned.SecretList?.map((s) => s.Name), [name]);

  // ForceDeleteWithoutRecovery removes even a scheduled secret at once; the name is free again, under a new ARN.
  await client.send(new DeleteSecretCommand({ SecretId: created.ARN, ForceDeleteWithoutRecovery: true }));
  await assert.rejects(client.send(new DescribeSecretCommand({ SecretId: name })), awsError(...NOT_FOUND));
  const recreated = await client.send(new CreateSecretCommand({ Name: name, SecretString: 'again' }));
  assert.notEqual(recreated.ARN, created.ARN);

  await assert.rejects(
    client.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true, RecoveryWindowInDays: 7 })),
    awsError('InvalidParameterException', "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays."),
  );
  await assert.rejects(
    client.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 3 })),
    awsError('InvalidParameterException', 'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).'),
  );
  await assert.rejects(client.send(new DeleteSecretCommand({ SecretId: uniqueName('missing') })), awsError(...NOT_FOUND));
});

test('Secrets Manager: ListSecrets filters, sorts and pages', async (t) => {
  const client = await secrets(t);
  const prefix = uniqueName('list');
  const names = [`${prefix}/a`, `${prefix}/b`, `${prefix}/c`];
  for (const [i, name] of names.entries()) {
    await client.send(new CreateSecretCommand({ Name: name, SecretString: 'x', Tags: i === 1 ? [{ Key: 'tier', Value: 'gold' }] : [] }));
  }
  const all = await client.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [prefix] }] }));
  assert.deepEqual(all.SecretList?.map((s) => s.Name), names);
  assert.ok(all.SecretList?.every((s) => s.SecretVersionsToStages && Object.values(s.SecretVersionsToStages)[0]?.[0] === 'AWSCURRENT'));

  const byTag = await client.send(new ListSecretsCommand({ Filters: [{ Key: 'tag-key', Values: ['tier'] }, { Key: 'name', Values: [prefix] }] }));
  assert.deepEqual(byTag.SecretList?.map((s) => s.Name), [names[1]]);
  const negated = await client.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [prefix] }, { Key: 'tag-key', Values: ['!tier'] }] }));
  assert.deepEqual(negated.SecretList?.map((s) => s.Name), [names[0], names[2]]);

  const descending = await client.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [prefix] }], SortBy: 'name', SortOrder: 'desc' }));
  assert.deepEqual(descending.SecretList?.map((s) => s.Name), [...names].reverse());

  const first = await client.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [prefix] }], MaxResults: 2 }));
  assert.equal(first.SecretList?.length, 2);
  assert.ok(first.NextToken);
  const second = await client.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [prefix] }], MaxResults: 2, NextToken: first.NextToken }));
  assert.deepEqual(second.SecretList?.map((s) => s.Name), [names[2]]);
  assert.equal(second.NextToken, undefined);
});

test('Secrets Manager: secrets are per Region and survive a restart', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ecs-rollout-secrets-'));
  let second: Emulator | undefined;
  t.after(async () => {
    await second?.close();
    await rm(dir, { recursive: true, force: true });
  });
  const name = uniqueName('kept');
  let arn: string | undefined;
  const first = await startEmulator({ port: 0, stateDir: dir });
  try {
    arn = (await secretsClient(t, first.url).send(new CreateSecretCommand({ Name: name, SecretString: 'kept' }))).ARN;
    await assert.rejects(secretsClient(t, first.url, 'eu-west-1').send(new DescribeSecretCommand({ SecretId: name })), awsError(...NOT_FOUND));
  } finally {
    await first.close();
  }
  second = await startEmulator({ port: 0, stateDir: dir });
  const value = await secretsClient(t, second.url).send(new GetSecretValueCommand({ SecretId: name }));
  assert.equal(value.SecretString, 'kept');
  assert.equal(value.ARN, arn);
});
