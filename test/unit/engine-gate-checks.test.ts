import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { LocalGateChecks } from '../../src/aws/local-gate-checks.js';

const checks = new LocalGateChecks({ PATH: process.env.PATH, GREETING: 'hello' });
const command = (run: string, timeoutMs = 5000) => ({ kind: 'command' as const, run, timeoutMs, retries: 0, intervalMs: 0 });

test('a command gate passes on exit 0 and keeps its output lines, with the explicit environment', async () => {
  const result = await checks.attempt(command('echo "$GREETING"; echo warn >&2'));
  assert.deepEqual(result, { ok: true, summary: 'exit 0', lines: ['hello', 'warn'] });
});

test('a command gate fails on a non-zero exit and names it', async () => {
  const result = await checks.attempt(command('echo boom; exit 3'));
  assert.equal(result.ok, false);
  assert.equal(result.summary, "'echo boom; exit 3' exited 3");
  assert.deepEqual(result.lines, ['boom']);
});

test('a command gate that outlives its timeout is stopped, process group and all', async () => {
  const started = Date.now();
  const result = await checks.attempt(command('echo started; sleep 30 | cat', 300));
  assert.equal(result.ok, false);
  assert.match(result.summary, /did not finish within 300ms/);
  assert.ok(Date.now() - started < 5000);
});

test('an HTTP gate compares the status and keeps the body; a refused connection is a failed attempt', async (t) => {
  const server = createServer((req, res) => {
    res.statusCode = req.url === '/ok' ? 200 : 503;
    res.end(req.url === '/ok' ? 'all good\n' : 'not ready\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const http = (path: string) => ({ kind: 'http' as const, url: `${base}${path}`, expectStatus: 200, timeoutMs: 2000, retries: 0, intervalMs: 0 });

  assert.deepEqual(await checks.attempt(http('/ok')), { ok: true, summary: 'HTTP 200', lines: [`GET ${base}/ok -> 200`, 'all good'] });
  const bad = await checks.attempt(http('/bad'));
  assert.equal(bad.ok, false);
  assert.equal(bad.summary, `GET ${base}/bad answered 503, expected 200`);

  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const refused = await checks.attempt({ ...http('/'), url: `http://127.0.0.1:${port}/` });
  assert.equal(refused.ok, false);
  assert.match(refused.summary, /failed: fetch failed/);
});
