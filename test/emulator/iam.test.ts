import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  CreateRoleCommand, DeleteRoleCommand, GetRoleCommand, IAMClient, ListRolesCommand, ListUsersCommand,
} from '@aws-sdk/client-iam';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { TEST_CREDENTIALS, TEST_REGION, uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';

const TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

type Hooks = Parameters<typeof startTestEmulator>[0];

function iamClient(t: Hooks, endpoint: string, region = TEST_REGION, accessKeyId = TEST_CREDENTIALS.accessKeyId): IAMClient {
  const iam = new IAMClient({ endpoint, region, credentials: { ...TEST_CREDENTIALS, accessKeyId }, maxAttempts: 1 });
  t.after(async () => iam.destroy());
  return iam;
}

/** An AWS error with its SDK name, message and HTTP status. */
const awsError = (name: string, message: string | RegExp, status: number) => (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
  assert.equal(err.name, name);
  if (typeof message === 'string') assert.equal(err.message, message);
  else assert.match(err.message, message);
  assert.equal(err.$metadata?.httpStatusCode, status);
  return true;
};

test('IAM: CreateRole, GetRole, ListRoles and DeleteRole round trip over awsQuery', async (t) => {
  const { emulator } = await startTestEmulator(t);
  const iam = iamClient(t, emulator.url);
  const name = uniqueName('task-role');

  const created = await iam.send(new CreateRoleCommand({
    RoleName: name, Path: '/app/', AssumeRolePolicyDocument: TRUST_POLICY, Description: 'the web task', Tags: [{ Key: 'team', Value: 'web' }],
  }));
  const role = created.Role;
  assert.equal(role?.Arn, `arn:aws:iam::000000000000:role/app/${name}`);
  assert.equal(role?.Path, '/app/');
  assert.match(role?.RoleId ?? '', /^AROA[A-Z2-7]{17}$/);
  assert.ok(role?.CreateDate instanceof Date);
  // IAM returns policy documents URL-encoded (RFC 3986), and the SDK does not decode them.
  assert.equal(role?.AssumeRolePolicyDocument, encodeURIComponent(TRUST_POLICY));
  assert.equal(decodeURIComponent(role?.AssumeRolePolicyDocument ?? ''), TRUST_POLICY);
  assert.deepEqual(role?.Tags, [{ Key: 'team', Value: 'web' }]);

  // Role names are not case-sensitive.
  const got = (await iam.send(new GetRoleCommand({ RoleName: name.toUpperCase() }))).Role;
  assert.equal(got?.RoleName, name);
  assert.equal(got?.RoleId, role?.RoleId);
  assert.equal(got?.Description, 'the web task');
  assert.equal(got?.MaxSessionDuration, 3600);
  assert.deepEqual(got?.Tags, [{ Key: 'team', Value: 'web' }]);
  assert.deepEqual(got?.RoleLastUsed, {});
  assert.equal(got?.CreateDate?.getTime(), role?.CreateDate?.getTime());

  const listed = await iam.send(new ListRolesCommand({ PathPrefix: '/app/' }));
  assert.equal(listed.IsTruncated, false);
  assert.deepEqual(listed.Roles?.map((r) => r.RoleName), [name]);
  // ListRoles returns a subset of each role: no tags.
  assert.equal(listed.Roles?.[0]?.Tags, undefined);
  assert.equal(listed.Roles?.[0]?.AssumeRolePolicyDocument, role?.AssumeRolePolicyDocument);
  assert.deepEqual((await iam.send(new ListRolesCommand({ PathPrefix: '/other/' }))).Roles, []);

  await iam.send(new DeleteRoleCommand({ RoleName: name }));
  await assert.rejects(iam.send(new GetRoleCommand({ RoleName: name })), awsError('NoSuchEntityException', `The role with name ${name} cannot be found.`, 404));
  await assert.rejects(iam.send(new DeleteRoleCommand({ RoleName: name })), awsError('NoSuchEntityException', `The role with name ${name} cannot be found.`, 404));
});

test('IAM: errors carry AWS codes, statuses and wording', async (t) => {
  const { emulator } = await startTestEmulator(t);
  const iam = iamClient(t, emulator.url);
  const name = uniqueName('dup');
  await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: TRUST_POLICY }));

  await assert.rejects(
    iam.send(new CreateRoleCommand({ RoleName: name.toUpperCase(), AssumeRolePolicyDocument: TRUST_POLICY })),
    awsError('EntityAlreadyExistsException', `Role with name ${name.toUpperCase()} already exists.`, 409),
  );
  await assert.rejects(
    iam.send(new CreateRoleCommand({ RoleName: 'has space', AssumeRolePolicyDocument: TRUST_POLICY })),
    awsError('ValidationError', "1 validation error detected: Value 'has space' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+", 400),
  );
  await assert.rejects(
    iam.send(new CreateRoleCommand({ RoleName: 'x'.repeat(65), AssumeRolePolicyDocument: TRUST_POLICY })),
    awsError('ValidationError', /at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64$/, 400),
  );
  await assert.rejects(
    iam.send(new CreateRoleCommand({ RoleName: uniqueName('p'), Path: 'app/', AssumeRolePolicyDocument: TRUST_POLICY })),
    awsError('ValidationError', 'The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.', 400),
  );
  await assert.rejects(
    iam.send(new CreateRoleCommand({ RoleName: uniqueName('j'), AssumeRolePolicyDocument: '{"Version": ' })),
    awsError('MalformedPolicyDocumentException', 'This policy contains invalid Json', 400),
  );
  const withResource = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] });
  await assert.rejects(
    iam.send(new CreateRoleCommand({ RoleName: uniqueName('r'), AssumeRolePolicyDocument: withResource })),
    awsError('MalformedPolicyDocumentException', 'Has prohibited field Resource', 400),
  );
  await assert.rejects(
    iam.send(new CreateRoleCommand({ RoleName: uniqueName('m'), AssumeRolePolicyDocument: TRUST_POLICY, MaxSessionDuration: 60 })),
    awsError('ValidationError', /at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600$/, 400),
  );
  await assert.rejects(
    iam.send(new ListRolesCommand({ PathPrefix: 'app' })),
    awsError('ValidationError', 'The specified value for pathPrefix is invalid. It must begin with the / character and contain only alphanumeric characters and/or / characters.', 400),
  );
  await assert.rejects(
    iam.send(new ListUsersCommand({})),
    awsError('UnsupportedOperation', 'IAM operation ListUsers is not emulated by ecs-rollout; see docs/emulator-fidelity.md for what is.', 400),
  );
});

test('IAM: ListRoles pages with MaxItems and Marker', async (t) => {
  const { emulator } = await startTestEmulator(t);
  const iam = iamClient(t, emulator.url);
  const names = [uniqueName('page'), uniqueName('page'), uniqueName('page')].sort();
  for (const name of names) await iam.send(new CreateRoleCommand({ RoleName: name, Path: '/paged/', AssumeRolePolicyDocument: TRUST_POLICY }));

  const first = await iam.send(new ListRolesCommand({ PathPrefix: '/paged/', MaxItems: 2 }));
  assert.equal(first.IsTruncated, true);
  assert.ok(first.Marker);
  const second = await iam.send(new ListRolesCommand({ PathPrefix: '/paged/', MaxItems: 2, Marker: first.Marker }));
  assert.equal(second.IsTruncated, false);
  assert.equal(second.Marker, undefined);
  assert.deepEqual([...(first.Roles ?? []), ...(second.Roles ?? [])].map((r) => r.RoleName), names);
});

test('IAM: roles are global (any Region sees them), per account, and survive a restart', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ecs-rollout-iam-'));
  let second: Emulator | undefined;
  t.after(async () => {
    await second?.close();
    await rm(dir, { recursive: true, force: true });
  });
  const name = uniqueName('global');

  const first = await startEmulator({ port: 0, stateDir: dir });
  try {
    const east = iamClient(t, first.url, 'us-east-1');
    await east.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: TRUST_POLICY }));
    const west = iamClient(t, first.url, 'eu-west-1');
    assert.equal((await west.send(new GetRoleCommand({ RoleName: name }))).Role?.Arn, `arn:aws:iam::000000000000:role/${name}`);
    // A 12-digit access key id is another account, which holds no such role.
    const other = iamClient(t, first.url, 'us-east-1', '111122223333');
    await assert.rejects(other.send(new GetRoleCommand({ RoleName: name })), awsError('NoSuchEntityException', `The role with name ${name} cannot be found.`, 404));
  } finally {
    await first.close();
  }

  second = await startEmulator({ port: 0, stateDir: dir });
  const again = iamClient(t, second.url, 'ap-southeast-2');
  const role = (await again.send(new GetRoleCommand({ RoleName: name }))).Role;
  assert.equal(role?.RoleName, name);
  assert.ok(role?.CreateDate instanceof Date);
  assert.equal(decodeURIComponent(role?.AssumeRolePolicyDocument ?? ''), TRUST_POLICY);
});
