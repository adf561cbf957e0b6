import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfigFile, parseConfigText } from '../../src/spec/config-file.js';
import { isLoopbackUrl, resolveConnection } from '../../src/spec/connection.js';
import { formatDuration, parseDuration } from '../../src/spec/duration.js';
import { RolloutError } from '../../src/spec/errors.js';

test('parseDuration and formatDuration', () => {
  const table: Array<[string, number | undefined]> = [
    ['250ms', 250], ['90s', 90_000], ['15m', 900_000], ['1h', 3_600_000], ['1m30s', 90_000], ['1.5s', 1500],
    ['soon', undefined], ['', undefined], ['90', undefined], ['5 m', undefined], ['-1s', undefined],
  ];
  for (const [text, ms] of table) assert.equal(parseDuration(text), ms, text);
  assert.equal(formatDuration(250), '250ms');
  assert.equal(formatDuration(90_000), '1m30s');
  assert.equal(formatDuration(900_000), '15m');
});

test('config file: valid settings parse', () => {
  const config = parseConfigText('cluster: prod\nservice: web\ntimeout: 10m\npollInterval: 2s\ndesiredCount: 3\noutput: json\nendpointUrl: http://127.0.0.1:4577\n', 'ecs-rollout.yaml');
  assert.deepEqual(config, { cluster: 'prod', service: 'web', timeout: '10m', pollInterval: '2s', desiredCount: 3, output: 'json', endpointUrl: 'http://127.0.0.1:4577' });
  assert.deepEqual(parseConfigText('', 'ecs-rollout.yaml'), {});
});

test('config file: errors name the file and the field', () => {
  const cases: Array<[string, string]> = [
    ['timeout: soon', "ecs-rollout.yaml: timeout: expected a duration like 90s or 15m, got 'soon'"],
    ['desiredCount: two', "ecs-rollout.yaml: desiredCount: expected a whole number of tasks, got 'two'"],
    ['output: xml', "ecs-rollout.yaml: output: expected text or json, got 'xml'"],
    ['clustr: prod', 'ecs-rollout.yaml: clustr: unknown field; the fields are cluster, service, container, region, endpointUrl, timeout, pollInterval, desiredCount, output, log, strategy, analysis'],
    ['endpointUrl: nope', "ecs-rollout.yaml: endpointUrl: expected a URL like http://127.0.0.1:4577, got 'nope'"],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseConfigText(text, 'ecs-rollout.yaml'), (err: unknown) => err instanceof RolloutError && err.code === 'InvalidConfig' && err.message === message, text);
  }
  assert.throws(() => parseConfigText('a: [', 'x.yaml'), /x.yaml: not valid YAML/);
});

test('config file: the default file is optional, an explicit one must exist', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-rollout-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.deepEqual(await loadConfigFile({ cwd: dir }), { config: {} });
  await assert.rejects(loadConfigFile({ cwd: dir, path: 'missing.yaml' }), /cannot read config file missing.yaml/);
  writeFileSync(join(dir, 'ecs-rollout.yaml'), 'cluster: prod\n');
  assert.deepEqual((await loadConfigFile({ cwd: dir })).config, { cluster: 'prod' });
});

test('connection: flags > environment > config > default; loopback gets test credentials', () => {
  const none = { flags: {}, config: {} };
  assert.deepEqual(resolveConnection({ ...none, env: {} }), { endpoint: undefined, region: 'us-east-1', loopback: false, credentials: undefined });
  const env = { AWS_ENDPOINT_URL: 'http://127.0.0.1:4577', AWS_DEFAULT_REGION: 'eu-west-1' };
  const fromEnv = resolveConnection({ flags: {}, env, config: { endpointUrl: 'http://x:1', region: 'ap-south-1' } });
  assert.deepEqual(fromEnv, { endpoint: 'http://127.0.0.1:4577', region: 'eu-west-1', loopback: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const fromFlags = resolveConnection({ flags: { endpointUrl: 'https://ecs.example.com', region: 'us-west-2' }, env: { ...env, AWS_REGION: 'eu-north-1' }, config: {} });
  assert.deepEqual([fromFlags.endpoint, fromFlags.region, fromFlags.loopback, fromFlags.credentials], ['https://ecs.example.com', 'us-west-2', false, undefined]);
  assert.equal(resolveConnection({ ...none, env: {}, fallbackEndpoint: 'http://127.0.0.1:4577' }).endpoint, 'http://127.0.0.1:4577');
  const withKeys = resolveConnection({ flags: { endpointUrl: 'http://localhost:4577' }, env: { AWS_ACCESS_KEY_ID: '123456789012', AWS_SECRET_ACCESS_KEY: 's' }, config: {} });
  assert.deepEqual(withKeys.credentials, { accessKeyId: '123456789012', secretAccessKey: 's' });
  assert.equal(resolveConnection({ flags: { endpointUrl: 'http://localhost:4577' }, env: { AWS_PROFILE: 'dev' }, config: {} }).credentials, undefined);
  for (const url of ['http://127.0.0.1:4577', 'http://localhost:1', 'http://[::1]:4577', 'http://127.1.2.3']) assert.equal(isLoopbackUrl(url), true, url);
  for (const url of ['https://ecs.us-east-1.amazonaws.com', 'http://10.0.0.1:4577', 'nonsense']) assert.equal(isLoopbackUrl(url), false, url);
});
