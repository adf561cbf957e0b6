import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { test } from 'node:test';
import { createClock } from '../../src/emulator/clock.js';
import { HealthMonitor, type HealthCheckSettings } from '../../src/emulator/runtime/load-balancer/health-monitor.js';
import type { HealthState } from '../../src/emulator/runtime/load-balancer/health-state.js';
import { eventually, freePort } from './elbv2-harness.js';

// At speed 100 a 5 s interval is 50 ms of real time: two failed checks take about 100 ms.
const clock = createClock(100);

function settings(port: number): HealthCheckSettings {
  return { path: '/health', port, host: '127.0.0.1', intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold: 2, ranges: [{ from: 200, to: 200 }] };
}

function monitor(t: { after: (fn: () => void) => void }, port: number, allowanceMs: number): { health: () => HealthState } {
  const m = new HealthMonitor(clock, () => settings(port), () => undefined, allowanceMs);
  t.after(() => m.stop());
  m.start();
  return { health: () => m.current() };
}

function serve(t: { after: (fn: () => Promise<void>) => void }, port: number, delayMs = 0): Promise<Server> {
  const server = createServer((_req, res) => setTimeout(() => res.end('ok'), delayMs));
  t.after(() => new Promise((resolve) => server.close(() => resolve())));
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('ELB health checks: a task target not listening yet stays initial through its start-up allowance, then turns healthy once it listens', async (t) => {
  const port = await freePort();
  const target = monitor(t, port, 10_000);
  await settle(400);
  assert.equal(target.health().state, 'initial', 'refused connections before the process listens are not failures');
  await serve(t, port);
  await eventually('healthy', async () => (target.health().state === 'healthy' ? true : undefined));
});

test('ELB health checks: without the allowance (a target registered through the API), refused connections make it unhealthy', async (t) => {
  const port = await freePort();
  const target = monitor(t, port, 0);
  await eventually('unhealthy', async () => (target.health().state === 'unhealthy' ? true : undefined));
  assert.equal(target.health().lastFailure?.reason, 'Target.FailedHealthChecks');
});

test('ELB health checks: once a task target has answered, refused connections count again', async (t) => {
  const port = await freePort();
  const target = monitor(t, port, 10_000);
  const server = await serve(t, port);
  await eventually('healthy', async () => (target.health().state === 'healthy' ? true : undefined));
  await new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await eventually('unhealthy after the process stopped listening', async () => (target.health().state === 'unhealthy' ? true : undefined));
});

test('ELB health checks: a 2 s timeout at speed 100 still allows a real second, so a 150 ms answer is healthy', async (t) => {
  const port = await freePort();
  await serve(t, port, 150);
  const target = monitor(t, port, 0);
  await eventually('healthy', async () => (target.health().state === 'healthy' ? true : undefined));
  await settle(500);
  assert.equal(target.health().state, 'healthy', 'a slow answer within a real second is not Target.Timeout');
});
