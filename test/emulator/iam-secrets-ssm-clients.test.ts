import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientEnv, missing, run } from '../support/third-party.js';
import { uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';

/**
 * The AWS CLI and boto3, unchanged and given only an endpoint URL, against
 * the emulated IAM (awsQuery), Secrets Manager and SSM (awsJson 1.1). Each
 * test is skipped, saying why, on a machine without the client.
 */

const TRUST_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] };

test('the AWS CLI creates and reads IAM roles, secrets and parameters with --endpoint-url', async (t) => {
  const reason = await missing('aws', ['--version']);
  if (reason) return t.skip(reason);
  const { emulator } = await startTestEmulator(t);
  const aws = async <T = unknown>(...args: string[]): Promise<T> => {
    const { stdout } = await run('aws', ['--endpoint-url', emulator.url, '--output', 'json', ...args], { env: clientEnv(emulator.url), timeout: 30_000 });
    return JSON.parse(stdout || '{}') as T;
  };
  const name = uniqueName('cli');

  const created = await aws<{ Role: { Arn: string } }>('iam', 'create-role', '--role-name', name, '--path', '/cli/', '--assume-role-policy-document', JSON.stringify(TRUST_POLICY), '--tags', 'Key=team,Value=web');
  assert.equal(created.Role.Arn, `arn:aws:iam::000000000000:role/cli/${name}`);
  const role = await aws<{ Role: { AssumeRolePolicyDocument: unknown; Tags: unknown } }>('iam', 'get-role', '--role-name', name);
  // botocore URL-decodes IAM's policy documents into objects: the document round-trips.
  assert.deepEqual(role.Role.AssumeRolePolicyDocument, TRUST_POLICY);
  assert.deepEqual(role.Role.Tags, [{ Key: 'team', Value: 'web' }]);
  await assert.rejects(aws('iam', 'get-role', '--role-name', `${name}-missing`), /NoSuchEntity.*The role with name .* cannot be found\./s);

  const secret = await aws<{ ARN: string }>('secretsmanager', 'create-secret', '--name', `${name}/db`, '--secret-string', 'hunter2');
  assert.match(secret.ARN, new RegExp(`:secret:${name}/db-[A-Za-z0-9]{6}$`));
  const value = await aws<{ SecretString: string }>('secretsmanager', 'get-secret-value', '--secret-id', secret.ARN.slice(0, -7));
  assert.equal(value.SecretString, 'hunter2');
  await assert.rejects(aws('secretsmanager', 'describe-secret', '--secret-id', `${name}/none`), /ResourceNotFoundException.*Secrets Manager can't find the specified secret\./s);

  const put = await aws<{ Version: number }>('ssm', 'put-parameter', '--name', `/${name}/host`, '--value', 'db.internal', '--type', 'String');
  assert.equal(put.Version, 1);
  const parameter = await aws<{ Parameter: { Value: string } }>('ssm', 'get-parameter', '--name', `arn:aws:ssm:us-east-1:000000000000:parameter/${name}/host`);
  assert.equal(parameter.Parameter.Value, 'db.internal');
  await assert.rejects(aws('ssm', 'get-parameter', '--name', `/${name}/none`), /ParameterNotFound/);
});

test('boto3 creates and reads IAM roles, secrets and parameters with AWS_ENDPOINT_URL', async (t) => {
  const reason = await missing('python3', ['-c', 'import boto3']);
  if (reason) return t.skip('python3 with boto3 is not installed here; install it to run this test');
  const { emulator } = await startTestEmulator(t);
  const name = uniqueName('boto');
  const script = `
import boto3, json, sys
name, policy = sys.argv[1], sys.argv[2]
out = {}
iam = boto3.client('iam')
iam.create_role(RoleName=name, AssumeRolePolicyDocument=policy, Description='from boto3')
role = iam.get_role(RoleName=name)['Role']
out['role'] = [role['Arn'], role['AssumeRolePolicyDocument'], role['Description'], role['MaxSessionDuration']]
try:
    iam.get_role(RoleName=name + '-missing')
except iam.exceptions.NoSuchEntityException as e:
    out['roleError'] = e.response['Error']['Code']
sm = boto3.client('secretsmanager')
created = sm.create_secret(Name=name + '/bin', SecretBinary=b'\\x00\\xffdata')
out['secret'] = list(sm.get_secret_value(SecretId=created['ARN'])['SecretBinary'])
try:
    sm.get_secret_value(SecretId=name + '/none')
except sm.exceptions.ResourceNotFoundException as e:
    out['secretError'] = e.response['Error']['Message']
ssm = boto3.client('ssm')
ssm.put_parameter(Name='/' + name + '/key', Value='sk-1', Type='SecureString')
got = ssm.get_parameters(Names=['/' + name + '/key', '/' + name + '/none'], WithDecryption=True)
out['parameters'] = [[p['Name'], p['Value']] for p in got['Parameters']]
out['invalid'] = got['InvalidParameters']
try:
    ssm.get_parameter(Name='/' + name + '/none')
except ssm.exceptions.ParameterNotFound as e:
    out['parameterError'] = e.response['Error']['Code']
print(json.dumps(out))
`;
  const { stdout } = await run('python3', ['-c', script, name, JSON.stringify(TRUST_POLICY)], { env: clientEnv(emulator.url), timeout: 30_000 });
  assert.deepEqual(JSON.parse(stdout), {
    role: [`arn:aws:iam::000000000000:role/${name}`, TRUST_POLICY, 'from boto3', 3600],
    roleError: 'NoSuchEntity',
    secret: [0, 255, ...Buffer.from('data')],
    secretError: "Secrets Manager can't find the specified secret.",
    parameters: [[`/${name}/key`, 'sk-1']],
    invalid: [`/${name}/none`],
    parameterError: 'ParameterNotFound',
  });
});
