import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../examples/lib/free-port.js';
import { createClock, type Clock } from '../../src/emulator/clock.js';
import { createProcessDriver } from '../../src/emulator/runtime/process-driver.js';
import type { ContainerLaunch, ContainerState, RunningTaskProcesses, TaskOutputLine } from '../../src/emulator/runtime/task-driver.js';

const SAMPLE_APP = fileURLToPath(new URL('../../examples/sample-app/server.js', import.meta.url));
const NODE = process.execPath;
const SPEED = 10;
/** Real milliseconds any one expected state may take to show up. */
const DEADLINE_MS = 10_000;

interface Launched {
  task: RunningTaskProcesses;
  clock: Clock;
  output: TaskOutputLine[];
  /** "name:STATUS" and "name:HEALTH" entries, in the order the driver reported them. */
  history: string[];
}

let taskCounter = 0;

function launch(t: TestContext, containers: ContainerLaunch[]): Launched {
  const clock = createClock(SPEED);
  const task = createProcessDriver().launch(`task-${process.pid}-${++taskCounter}`, containers, clock);
  t.after(() => task.stop());
  const output: TaskOutputLine[] = [];
  const history: string[] = [];
  task.onOutput((line) => output.push(line));
  task.onChange(() => {
    for (const c of task.containers()) {
      for (const entry of [`${c.name}:${c.lastStatus}`, `${c.name}:${c.healthStatus}`]) {
        if (history.includes(entry)) continue;
        history.push(entry);
      }
    }
  });
  return { task, clock, output, history };
}

function container(name: string, command: string[], overrides: Partial<ContainerLaunch> = {}): ContainerLaunch {
  return {
    name, command, cwd: undefined, env: {}, essential: true, stopTimeoutSeconds: 30, healthCheck: undefined, dependsOn: [], ...overrides,
  };
}

function sampleApp(name: string, port: number, env: Record<string, string> = {}, overrides: Partial<ContainerLaunch> = {}): ContainerLaunch {
  return container(name, [NODE, SAMPLE_APP], { env: { PORT: String(port), ...env }, ...overrides });
}

/** A CMD-SHELL health check that asks the sample app's /health with node's fetch (curl may be absent). */
function httpHealthCheck(port: number, retries = 3): ContainerLaunch['healthCheck'] {
  const script = `fetch('http://127.0.0.1:${port}/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`;
  return { command: ['CMD-SHELL', `"${NODE}" -e "${script}"`], intervalSeconds: 5, timeoutSeconds: 5, retries, startPeriodSeconds: 0 };
}

/** Resolves with the containers once `predicate` holds; fails the test past the deadline. */
function until(task: RunningTaskProcesses, what: string, predicate: (containers: ContainerState[]) => boolean): Promise<ContainerState[]> {
  return new Promise((resolve, reject) => {
    let done = false;
    const check = (): void => {
      if (done || !predicate(task.containers())) return;
      done = true;
      clearTimeout(timer);
      resolve(task.containers());
    };
    const timer = setTimeout(() => {
      done = true;
      reject(new Error(`timed out waiting for ${what}; containers: ${JSON.stringify(task.containers())}`));
    }, DEADLINE_MS);
    task.onChange(check);
    check();
  });
}

async function untilLine(output: TaskOutputLine[], pattern: RegExp): Promise<TaskOutputLine> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const found = output.find((line) => pattern.test(line.line));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no output line matched ${pattern}: ${JSON.stringify(output)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const byName = (containers: ContainerState[], name: string): ContainerState => {
  const found = containers.find((c) => c.name === name);
  assert.ok(found, `container ${name}`);
  return found;
};

/** Whether a process still exists; a zombie no one has reaped yet counts as gone. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') !== true;
  } catch {
    return false;
  }
}

async function untilGone(pid: number): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} is still alive`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('process driver: the sample app runs, answers HTTP, becomes HEALTHY and stops gracefully with exit 0', async (t) => {
  const port = await freePort();
  const { task, output, history } = launch(t, [sampleApp('web', port, { VERSION: 'v9' }, { healthCheck: httpHealthCheck(port) })]);
  assert.equal(byName(task.containers(), 'web').lastStatus, 'PENDING');

  const running = byName(await until(task, 'web RUNNING', (cs) => byName(cs, 'web').lastStatus === 'RUNNING'), 'web');
  assert.equal(running.healthStatus, 'UNKNOWN');
  assert.ok(running.pid !== undefined);
  await untilLine(output, /listening on port/);

  const response = await fetch(`http://127.0.0.1:${port}/hello`);
  assert.equal(response.status, 200);
  const body = (await response.json()) as { version: string; pid: number; path: string };
  assert.deepEqual({ version: body.version, pid: body.pid, path: body.path }, { version: 'v9', pid: running.pid, path: '/hello' });

  await until(task, 'web HEALTHY', (cs) => byName(cs, 'web').healthStatus === 'HEALTHY');
  await task.stop();
  const stopped = byName(task.containers(), 'web');
  assert.equal(stopped.lastStatus, 'STOPPED');
  assert.equal(stopped.exitCode, 0);
  assert.equal(stopped.reason, undefined);
  assert.deepEqual(history.filter((e) => /:(PENDING|RUNNING|STOPPED)$/.test(e)), ['web:RUNNING', 'web:STOPPED']);
  assert.ok(output.some((line) => line.stream === 'stdout' && /shutting down on SIGTERM/.test(line.line)));
  assert.ok(output.every((line) => line.container === 'web' && typeof line.timestamp === 'number'));
  await untilGone(running.pid);
});

test('process driver: a failing CMD health check makes the container UNHEALTHY after its retries', async (t) => {
  const port = await freePort();
  const script = `fetch('http://127.0.0.1:${port}/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`;
  const { task, history } = launch(t, [sampleApp('web', port, { UNHEALTHY: '1' }, {
    healthCheck: { command: ['CMD', NODE, '-e', script], intervalSeconds: 5, timeoutSeconds: 5, retries: 2, startPeriodSeconds: 0 },
  })]);
  await until(task, 'web UNHEALTHY', (cs) => byName(cs, 'web').healthStatus === 'UNHEALTHY');
  assert.ok(!history.includes('web:HEALTHY'));
  assert.equal(byName(task.containers(), 'web').lastStatus, 'RUNNING');
});

test('process driver: CRASH_ON_START stops the container with exit code 1 and its error on stderr', async (t) => {
  const port = await freePort();
  const { task, output } = launch(t, [sampleApp('web', port, { CRASH_ON_START: '1' })]);
  await until(task, 'web STOPPED', (cs) => byName(cs, 'web').lastStatus === 'STOPPED');
  const web = byName(task.containers(), 'web');
  assert.equal(web.exitCode, 1);
  assert.equal(web.reason, undefined);
  const line = await untilLine(output, /crashed on start/);
  assert.equal(line.stream, 'stderr');
  await task.stop();
});

test('process driver: stop() sends SIGKILL after the stop timeout to a process that ignores SIGTERM, and kills what it forked', async (t) => {
  // The container ignores SIGTERM and forks a child that ignores it too and reports when it is ready.
  const child = `process.on('SIGTERM', () => {}); console.log('child ' + process.pid); setInterval(() => {}, 1000);`;
  const main = `process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
    require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(child)}], { stdio: 'inherit' });
    setInterval(() => {}, 1000);`;
  const { task, clock, output } = launch(t, [container('stubborn', [NODE, '-e', main], { stopTimeoutSeconds: 3 })]);
  const childLine = await untilLine(output, /^child \d+$/);
  const childPid = Number(childLine.line.split(' ')[1]);
  const mainPid = byName(task.containers(), 'stubborn').pid;
  assert.ok(mainPid !== undefined && isAlive(childPid));

  const stopAsked = clock.now();
  const first = task.stop();
  assert.equal(task.stop(), first, 'stop() is idempotent');
  await first;
  assert.ok(clock.now() - stopAsked >= 3_000, 'SIGKILL waits for the stop timeout (virtual)');
  assert.equal(byName(task.containers(), 'stubborn').exitCode, 137);
  assert.ok(output.some((line) => line.line === 'ignoring SIGTERM'), 'SIGTERM was sent first');
  await untilGone(mainPid);
  await untilGone(childPid);
});

test('process driver: a process without a SIGTERM handler stops at once with exit code 143', async (t) => {
  const { task, clock } = launch(t, [container('sleeper', [NODE, '-e', 'setInterval(() => {}, 1000)'], { stopTimeoutSeconds: 30 })]);
  await until(task, 'sleeper RUNNING', (cs) => byName(cs, 'sleeper').lastStatus === 'RUNNING');
  const stopAsked = clock.now();
  await task.stop();
  assert.equal(byName(task.containers(), 'sleeper').exitCode, 143);
  assert.ok(clock.now() - stopAsked < 30_000, 'did not wait for the stop timeout');
});

test('process driver: processes a container left behind die when its main process exits', async (t) => {
  const { task, output } = launch(t, [
    container('leaver', ['/bin/sh', '-c', 'sleep 1000 & echo "background $!"; exit 0'], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } }),
  ]);
  await until(task, 'leaver STOPPED', (cs) => byName(cs, 'leaver').lastStatus === 'STOPPED');
  assert.equal(byName(task.containers(), 'leaver').exitCode, 0);
  const line = await untilLine(output, /^background \d+$/);
  await untilGone(Number(line.line.split(' ')[1]));
});

test('process driver: containers start in dependsOn order (SUCCESS, HEALTHY, START)', async (t) => {
  const port = await freePort();
  const idle = [NODE, '-e', 'setInterval(() => {}, 1000)'];
  const { task, history } = launch(t, [
    container('last', idle, { dependsOn: [{ containerName: 'sidecar', condition: 'START' }] }),
    container('sidecar', idle, { dependsOn: [{ containerName: 'web', condition: 'HEALTHY' }] }),
    sampleApp('web', port, {}, { healthCheck: httpHealthCheck(port), dependsOn: [{ containerName: 'init', condition: 'SUCCESS' }] }),
    container('init', [NODE, '-e', 'console.log("migrated")'], { essential: false }),
  ]);
  await until(task, 'every container RUNNING', (cs) => ['web', 'sidecar', 'last'].every((n) => byName(cs, n).lastStatus === 'RUNNING'));
  const at = (entry: string): number => {
    const index = history.indexOf(entry);
    assert.ok(index >= 0, `${entry} in ${history.join(', ')}`);
    return index;
  };
  assert.ok(at('init:STOPPED') < at('web:RUNNING'));
  assert.ok(at('web:HEALTHY') < at('sidecar:RUNNING'));
  assert.ok(at('sidecar:RUNNING') < at('last:RUNNING'));
  assert.equal(byName(task.containers(), 'init').exitCode, 0);
});

test('process driver: a dependency that can never be met stops the waiting container as the ECS agent does', async (t) => {
  const port = await freePort();
  const { task } = launch(t, [
    container('init', [NODE, '-e', 'process.exit(2)'], { essential: false }),
    sampleApp('web', port, {}, { dependsOn: [{ containerName: 'init', condition: 'SUCCESS' }] }),
  ]);
  await until(task, 'web STOPPED', (cs) => byName(cs, 'web').lastStatus === 'STOPPED');
  const web = byName(task.containers(), 'web');
  assert.equal(web.pid, undefined, 'never started');
  assert.equal(web.exitCode, 143);
  assert.match(web.reason ?? '', /^CannotStartContainerError: dependency graph: failed to resolve container ordering dependency \[init .*Exit: 2/);
  await task.stop();
});

test('process driver: a missing executable stops the container with CannotStartContainerError and no exit code', async (t) => {
  const { task } = launch(t, [
    container('ghost', ['/nonexistent/ecs-rollout-no-such-program', '--flag']),
    container('waiter', [NODE, '-e', 'setInterval(() => {}, 1000)'], { dependsOn: [{ containerName: 'ghost', condition: 'COMPLETE' }] }),
  ]);
  await until(task, 'ghost STOPPED', (cs) => byName(cs, 'ghost').lastStatus === 'STOPPED');
  const ghost = byName(task.containers(), 'ghost');
  assert.equal(ghost.exitCode, undefined);
  assert.equal(ghost.pid, undefined);
  assert.match(ghost.reason ?? '', /^CannotStartContainerError: .*exec: "\/nonexistent\/ecs-rollout-no-such-program": executable file not found in \$PATH/);
  // The essential container failed, so the task goes down; the waiter never starts.
  await task.stop();
  const waiter = byName(task.containers(), 'waiter');
  assert.equal(waiter.lastStatus, 'STOPPED');
  assert.equal(waiter.pid, undefined);
});

test('process driver: stop() before anything started stops every container without starting one', async (t) => {
  const { task, history } = launch(t, [container('a', [NODE, '-e', 'setInterval(() => {}, 1000)'])]);
  await task.stop();
  assert.deepEqual(task.containers().map((c) => [c.lastStatus, c.pid]), [['STOPPED', undefined]]);
  assert.ok(!history.includes('a:RUNNING'));
});
