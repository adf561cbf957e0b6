import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { awslogsTargets } from '../../src/emulator/runtime/scheduler/awslogs.js';
import { parseFilterPattern } from '../../src/emulator/services/logs/filter-pattern.js';
import { parseStreamToken, streamToken } from '../../src/emulator/services/logs/event-keys.js';

const task = { taskArn: 'arn:aws:ecs:us-east-1:000000000000:task/c/0123456789abcdef0123456789abcdef', taskId: '0123456789abcdef0123456789abcdef' };
const scope = { account: '000000000000', region: 'us-east-1' };
const withLogs = (name: string, options: Record<string, string>): ContainerDefinition => ({ name, logConfiguration: { logDriver: 'awslogs', options } });

test('awslogs options: stream names, Regions and create-group read as Docker reads them', () => {
  const setup = awslogsTargets(
    [
      withLogs('web', { 'awslogs-group': '/ecs/app', 'awslogs-stream-prefix': 'ecs', 'awslogs-create-group': 'True' }),
      withLogs('proxy', { 'awslogs-group': '/ecs/app', 'awslogs-region': 'eu-west-1', 'awslogs-create-group': '0' }),
      { name: 'plain', logConfiguration: { logDriver: 'json-file', options: {} } },
      { name: 'none' },
    ],
    task,
    scope,
  );
  assert.ok(setup.ok);
  const [web, proxy, ...rest] = setup.targets;
  assert.deepEqual(web, { container: 'web', scope, group: '/ecs/app', stream: `ecs/web/${task.taskId}`, createGroup: true });
  assert.deepEqual(proxy?.scope, { account: '000000000000', region: 'eu-west-1' });
  assert.equal(proxy?.createGroup, false);
  // No prefix: Docker would use the container id; the stand-in is as long, and stable.
  assert.match(proxy?.stream ?? '', /^[0-9a-f]{64}$/);
  const again = awslogsTargets([withLogs('proxy', { 'awslogs-group': 'other' })], task, scope);
  assert.equal(again.ok ? again.targets[0]?.stream : undefined, proxy?.stream);
  const otherTask = awslogsTargets([withLogs('proxy', { 'awslogs-group': 'g' })], { ...task, taskArn: `${task.taskArn}0` }, scope);
  assert.notEqual(otherTask.ok ? otherTask.targets[0]?.stream : undefined, proxy?.stream);
  assert.deepEqual(rest, []);
});

test('awslogs options: a missing group or a create-group that is not a Go boolean is the driver complaint', () => {
  assert.deepEqual(awslogsTargets([withLogs('web', { 'awslogs-stream-prefix': 'ecs' })], task, scope), {
    ok: false,
    container: 'web',
    problem: "must specify a value for log opt 'awslogs-group'",
  });
  assert.deepEqual(awslogsTargets([withLogs('web', { 'awslogs-group': 'g', 'awslogs-create-group': 'yes' })], task, scope), {
    ok: false,
    container: 'web',
    problem: `must specify valid value for log opt 'awslogs-create-group': strconv.ParseBool: parsing "yes": invalid syntax`,
  });
});

test('filter patterns: terms, phrases, alternatives and exclusions', () => {
  const cases: Array<[string, string, boolean]> = [
    ['', 'anything', true],
    ['ERROR', 'level=ERROR x', true],
    ['ERROR', 'level=error x', false],
    ['ERROR db', 'ERROR talking to db', true],
    ['ERROR db', 'ERROR talking to queue', false],
    ['"refused by db"', 'connection refused by db', true],
    ['"refused by db"', 'refused by the db', false],
    ['?WARN ?ERROR', 'WARN slow', true],
    ['?WARN ?ERROR', 'INFO ok', false],
    ['ERROR -timeout', 'ERROR timeout', false],
    ['ERROR -timeout', 'ERROR refused', true],
    ['ERROR -"read timeout"', 'ERROR read timeout', false],
  ];
  for (const [pattern, message, expected] of cases) assert.equal(parseFilterPattern(pattern)(message), expected, `${pattern} on ${message}`);
  assert.throws(() => parseFilterPattern('{ $.level = "x" }'), /not emulated by ecs-rollout/);
  assert.throws(() => parseFilterPattern('"open'), /quoted phrase is not closed/);
});

test('GetLogEvents tokens round-trip and refuse what they did not issue', () => {
  const key = { timestamp: 1_700_000_000_123, seq: 42 };
  const forward = streamToken('forward', key);
  assert.match(forward, /^f\/\d{56}\/s$/);
  assert.deepEqual(parseStreamToken(forward), { direction: 'forward', key });
  assert.deepEqual(parseStreamToken(streamToken('backward', key)), { direction: 'backward', key });
  for (const bad of ['f/123/s', 'x/00000000000000000000000000000000000000000000000000000000/s', '']) assert.equal(parseStreamToken(bad), undefined);
});
