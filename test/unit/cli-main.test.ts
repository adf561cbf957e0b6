import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../../src/cli/main.js';
import { imageTarget } from '../../src/cli/commands/emulator-push.js';
import { parseListenerPortMap } from '../../src/cli/commands/emulator.js';
import { statsLines } from '../../src/cli/commands/emulator-stats.js';
import { capture } from '../../examples/lib/capture.js';

/** Every working directory these tests make lives under one root, removed at the end. */
const tempRoot = mkdtempSync(join(tmpdir(), 'ecs-rollout-cli-'));
after(() => rmSync(tempRoot, { recursive: true, force: true }));
const tempDir = (): string => mkdtempSync(join(tempRoot, 'cwd-'));

async function cli(argv: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  const stdout = capture();
  const stderr = capture();
  const cwd = options.cwd ?? tempDir();
  const code = await main(argv, { stdout, stderr, env: options.env ?? {}, cwd });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

test('--version prints the package version', async () => {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  assert.deepEqual(await cli(['--version']), { code: 0, stdout: `${pkg.version}\n`, stderr: '' });
});

test('--help lists the commands and exit codes; no command is bad input', async () => {
  const help = await cli(['--help']);
  assert.equal(help.code, 0);
  for (const name of ['deploy', 'status', 'emulator push', 'emulator stats', '3  deployment failed and was rolled back']) assert.ok(help.stdout.includes(name), name);
  const none = await cli([]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /Usage: ecs-rollout <command>/);
});

test('every command has --help', async () => {
  for (const argv of [['deploy', '--help'], ['status', '-h'], ['emulator', '--help'], ['emulator', 'push', '--help'], ['emulator', 'stats', '--help']]) {
    const { code, stdout } = await cli(argv);
    assert.equal(code, 0, argv.join(' '));
    assert.match(stdout, /^Usage: ecs-rollout /, argv.join(' '));
  }
});

test('unknown commands and options are bad input (exit 2) and point at help', async () => {
  const unknown = await cli(['deplyo']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^error: unknown command 'deplyo'/);
  const option = await cli(['deploy', '--clustr', 'prod']);
  assert.equal(option.code, 2);
  assert.match(option.stderr, /Unknown option '--clustr'[\s\S]*see: ecs-rollout deploy --help/);
});

test('deploy validates its input before calling AWS', async () => {
  const cases: Array<[string[], string]> = [
    [['deploy', '--service', 'web', '--image', 'x'], 'error: missing --cluster (or cluster in ecs-rollout.yaml)\n'],
    [['deploy', '--cluster', 'c', '--image', 'x'], 'error: missing --service (or service in ecs-rollout.yaml)\n'],
    [['deploy', '--cluster', 'c', '--service', 's'], 'error: missing the new image: pass --image URI or --tag TAG\n'],
    [['deploy', '--cluster', 'c', '--service', 's', '--image', 'a', '--tag', 'b'], 'error: pass either --image or --tag, not both\n'],
    [['deploy', '--cluster', 'c', '--service', 's', '--tag', 'b', '--timeout', 'soon'], "error: --timeout: expected a duration like 90s or 15m, got 'soon'\n"],
    [['deploy', '--cluster', 'c', '--service', 's', '--tag', 'b', '--desired-count', 'two'], "error: --desired-count: expected a whole number of 0 or more, got 'two'\n"],
    [['deploy', '--cluster', 'c', '--service', 's', '--tag', 'b', '--output', 'xml'], "error: --output: expected text or json, got 'xml'\n"],
  ];
  for (const [argv, stderr] of cases) assert.deepEqual(await cli(argv), { code: 2, stdout: '', stderr }, argv.join(' '));
});

test('a bad config file is exit 2 naming the file and field; JSON output ends with a result line', async () => {
  const cwd = tempDir();
  writeFileSync(join(cwd, 'ecs-rollout.yaml'), 'cluster: prod\ntimeout: soon\n');
  assert.deepEqual(await cli(['deploy', '--service', 'web', '--tag', 'v2'], { cwd }), {
    code: 2,
    stdout: '',
    stderr: "error: ecs-rollout.yaml: timeout: expected a duration like 90s or 15m, got 'soon'\n",
  });
  const json = await cli(['deploy', '--service', 'web', '--tag', 'v2', '--output', 'json'], { cwd });
  assert.equal(json.code, 2);
  assert.deepEqual(JSON.parse(json.stdout), {
    type: 'result',
    exitCode: 2,
    outcome: 'error',
    error: { code: 'InvalidConfig', kind: 'user', message: "ecs-rollout.yaml: timeout: expected a duration like 90s or 15m, got 'soon'" },
  });
});

test('emulator push: image names become ECR URIs of the emulator account', () => {
  assert.deepEqual(imageTarget('web:v1', 'us-east-1', 'test'), { uri: '000000000000.dkr.ecr.us-east-1.amazonaws.com/web:v1', account: '000000000000', region: 'us-east-1', repository: 'web', tag: 'v1' });
  assert.equal(imageTarget('team/web', 'eu-west-1', '123456789012').uri, '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web:latest');
  assert.equal(imageTarget('111122223333.dkr.ecr.us-west-2.amazonaws.com/web:v2', 'us-east-1', 'test').account, '111122223333');
  assert.throws(() => imageTarget('Web:v1', 'us-east-1', undefined), /expected an ECR URI or repo:tag/);
});

test('emulator push without a command is bad input', async () => {
  const { code, stderr } = await cli(['emulator', 'push', 'web:v1']);
  assert.equal(code, 2);
  assert.match(stderr, /missing COMMAND after --/);
});

test('emulator options and stats table', () => {
  assert.deepEqual([...parseListenerPortMap('80=8080, 443=8443')], [[80, 8080], [443, 8443]]);
  assert.throws(() => parseListenerPortMap('80:8080'), /expected LISTENER=LOCAL pairs/);
  assert.deepEqual(statsLines({ total: 3, errors: 1, operations: { 'ECS.DescribeServices': 2, 'ECR.PutImage': 1 } }), [
    'total 3 calls, 1 errors',
    'ECS.DescribeServices       2',
    'ECR.PutImage               1',
  ]);
});
