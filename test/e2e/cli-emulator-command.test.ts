import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BatchGetImageCommand, DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { CreateClusterCommand, CreateServiceCommand, DescribeTasksCommand, ListTasksCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, DeleteListenerCommand, DescribeListenersCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { freePort } from '../../examples/lib/free-port.js';
import { SAMPLE_APP } from '../../examples/lib/sample-stack.js';
import { awsClients } from '../support/clients.js';
import { pollUntil } from '../support/poll.js';


/**
 * `ecs-rollout emulator` as a user runs it: the real binary in a child
 * process, its URL read from what it prints, the other commands pointed at it
 * through AWS_ENDPOINT_URL with no AWS credentials in the environment.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'ecs-rollout.js');

type Context = { after: (fn: () => Promise<void> | void) => void };

/**
 * Clean-ups run last-in first-out in one t.after, so an emulator is stopped
 * before the state directory it writes to is removed.
 */
function cleanups(t: Context): (fn: () => Promise<void> | void) => void {
  const stack: Array<() => Promise<void> | void> = [];
  t.after(async () => {
    for (const fn of stack.reverse()) await fn();
  });
  return (fn) => stack.push(fn);
}
type Defer = ReturnType<typeof cleanups>;

interface BinRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment without any AWS_* setting of the caller: no credentials, no region, no endpoint. */
function envWith(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('AWS_')) env[key] = value;
  return { ...env, ...extra };
}

function show(run: BinRun): string {
  return `exit ${run.code ?? run.signal}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}

/** Runs `node bin/ecs-rollout.js ARGS` to its end (killed after `timeoutMs`). */
function runBin(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 10_000): Promise<BinRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

interface RunningEmulator {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output: () => string;
  /** Resolves when the process has exited, with how. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `ecs-rollout emulator ARGS` and waits (up to `timeoutMs`) for the
 * line that says where it serves. The process is stopped when the test ends
 * if the test did not stop it.
 */
async function startBinEmulator(defer: Defer, args: string[], timeoutMs = 10_000): Promise<RunningEmulator> {
  const child = spawn(process.execPath, [BIN, 'emulator', ...args], { cwd: ROOT, env: envWith(), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const output = () => `--- stdout\n${stdout}\n--- stderr\n${stderr}`;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  defer(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5_000).unref())]);
    if (!stopped) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the emulator printed no URL within ${timeoutMs} ms\n${output()}`)), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      // The banner ends with this line; the URL is in its first.
      const match = /^ecs-rollout emulator serving ECS, ECR and ELBv2 at (\S+)$/m.exec(stdout);
      if (match?.[1] && /^Press Ctrl-C to stop\.$/m.test(stdout)) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited (${code ?? signal}) before it served\n${output()}`));
    });
  });
  return { child, url, output, exited };
}

async function waitForExit(emulator: RunningEmulator, timeoutMs: number) {
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
  const result = await Promise.race([emulator.exited, timeout]);
  if (result === 'timeout') throw new Error(`the emulator did not exit within ${timeoutMs} ms of SIGTERM\n${emulator.output()}`);
  return result;
}

interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function httpGet(url: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, timeout: 2_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within 2 s`)));
    req.on('error', reject);
    req.end();
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}


function tempDir(defer: Defer, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  defer(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface Stats {
  total: number;
  errors: number;
  operations: Record<string, number>;
}

test('emulator --port 0 prints its URL; push and stats reach it through AWS_ENDPOINT_URL with no credentials; SIGTERM exits 0 and keeps state', { timeout: 30_000 }, async (t) => {
  const defer = cleanups(t);
  const stateDir = tempDir(defer, 'ecs-rollout-emulator-state-');
  const emulator = await startBinEmulator(defer, ['--port', '0', '--state-dir', stateDir, '--speed', '20']);
  const { url } = emulator;
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.notEqual(new URL(url).port, '0', 'the URL names the port actually bound, not 0');
  assert.ok(emulator.output().includes(`export AWS_ENDPOINT_URL=${url}\n`), emulator.output());
  assert.ok(emulator.output().includes(`state: ${stateDir}; speed: 20x\n`), emulator.output());
  const health = await httpGet(`${url}/_emulator/health`);
  const shown = JSON.parse(health.body) as { status: string; clock: { speed: number; now: number } };
  assert.deepEqual([health.status, shown.status, shown.clock.speed], [200, 'ok', 20], 'healthy, showing the clock a client may follow');
  assert.ok(Math.abs(shown.clock.now - Date.now()) < 60 * 60_000, 'virtual time starts from real time');

  const env = envWith({ AWS_ENDPOINT_URL: url });
  const push = await runBin(['emulator', 'push', 'app:v1', '--', process.execPath, SAMPLE_APP], env);
  assert.equal(push.code, 0, show(push));
  assert.equal(push.stdout, '000000000000.dkr.ecr.us-east-1.amazonaws.com/app:v1\n');
  assert.equal(push.stderr, '');

  const stats = await runBin(['emulator', 'stats', '--output', 'json'], env);
  assert.equal(stats.code, 0, show(stats));
  const parsed = JSON.parse(stats.stdout) as Stats;
  assert.equal(parsed.operations['ECR.PutImage'], 1, stats.stdout);
  assert.equal(parsed.operations['ECR.CreateRepository'], 1, stats.stdout);
  assert.equal(parsed.total, Object.values(parsed.operations).reduce((a, b) => a + b, 0), stats.stdout);
  assert.equal(parsed.errors, 0, stats.stdout);
  const text = await runBin(['emulator', 'stats'], env);
  assert.equal(text.code, 0, show(text));
  assert.match(text.stdout, new RegExp(`^total ${parsed.total} calls, 0 errors\\n`));
  assert.match(text.stdout, /^ECR\.PutImage\s+1$/m);

  // The image records the command that tasks of it run.
  const clients = awsClients(url);
  defer(() => {
    clients.ecr.destroy();
    clients.ecs.destroy();
    clients.elbv2.destroy();
  });
  const image = await clients.ecr.send(new BatchGetImageCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] }));
  const manifest = JSON.parse(image.images?.[0]?.imageManifest ?? '{}') as { command?: string[] };
  assert.deepEqual(manifest.command, [process.execPath, SAMPLE_APP]);

  // --endpoint-url wins over a wrong AWS_ENDPOINT_URL.
  const closed = `http://127.0.0.1:${await freePort()}`;
  const wrongEnv = envWith({ AWS_ENDPOINT_URL: closed });
  const misdirected = await runBin(['emulator', 'stats', '--output', 'json'], wrongEnv);
  assert.equal(misdirected.code, 1, show(misdirected));
  assert.ok(misdirected.stderr.includes(`failed to read emulator stats from ${closed}/_emulator/stats`), show(misdirected));
  const overridden = await runBin(['emulator', 'stats', '--output', 'json', '--endpoint-url', url], wrongEnv);
  assert.equal(overridden.code, 0, show(overridden));
  assert.equal((JSON.parse(overridden.stdout) as Stats).operations['ECR.PutImage'], 1);
  const pushed = await runBin(['emulator', 'push', 'app:v2', '--endpoint-url', url, '--', process.execPath, SAMPLE_APP], wrongEnv);
  assert.equal(pushed.code, 0, show(pushed));
  assert.equal(pushed.stdout, '000000000000.dkr.ecr.us-east-1.amazonaws.com/app:v2\n');
  const misdirectedPush = await runBin(['emulator', 'push', 'app:v3', '--', process.execPath, SAMPLE_APP], wrongEnv);
  assert.equal(misdirectedPush.code, 1, show(misdirectedPush));
  assert.ok(misdirectedPush.stderr.includes(`failed to push 000000000000.dkr.ecr.us-east-1.amazonaws.com/app:v3 to ${closed}`), show(misdirectedPush));

  // A task running the pushed image: a real process, which SIGTERM must not leave behind.
  await clients.ecs.send(new CreateClusterCommand({ clusterName: 'local' }));
  const td = await clients.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'app',
      containerDefinitions: [{ name: 'app', image: push.stdout.trim(), memory: 128, portMappings: [{ containerPort: 8080 }], environment: [{ name: 'VERSION', value: 'v1' }] }],
    }),
  );
  await clients.ecs.send(new CreateServiceCommand({ cluster: 'local', serviceName: 'app', taskDefinition: td.taskDefinition?.taskDefinitionArn, desiredCount: 1 }));
  const task = await pollUntil('the service has a RUNNING task', 10_000, async () => {
    const list = await clients.ecs.send(new ListTasksCommand({ cluster: 'local', serviceName: 'app' }));
    if (!list.taskArns?.length) return undefined;
    const described = await clients.ecs.send(new DescribeTasksCommand({ cluster: 'local', tasks: list.taskArns }));
    return described.tasks?.find((one) => one.lastStatus === 'RUNNING');
  }, 50);
  const pid = Number(task.containers?.[0]?.runtimeId);
  const hostPort = task.containers?.[0]?.networkBindings?.[0]?.hostPort;
  assert.ok(pid > 0 && hostPort, JSON.stringify(task.containers));
  const served = await pollUntil('the task answers on its port', 5_000, () => httpGet(`http://127.0.0.1:${hostPort}/`), 50);
  assert.equal((JSON.parse(served.body) as { version: string; pid: number }).pid, pid);

  const sent = Date.now();
  emulator.child.kill('SIGTERM');
  const exit = await waitForExit(emulator, 5_000);
  t.diagnostic(`the emulator exited ${Date.now() - sent} ms after SIGTERM`);
  assert.deepEqual(exit, { code: 0, signal: null }, emulator.output());
  assert.match(emulator.output(), /SIGTERM: stopping tasks and listeners, saving state\n[\s\S]*\nemulator stopped\n/);
  assert.equal(isAlive(pid), false, `the task's process ${pid} is gone with the emulator`);
  const files = readdirSync(stateDir);
  assert.ok(files.length > 0, 'the state directory has files');
  assert.ok(files.some((f) => readFileSync(join(stateDir, f), 'utf8').includes('"app"')), `the repository is in the saved state: ${files.join(', ')}`);

  // A new emulator on the same state directory has the images and the service; the task's process did not survive.
  const restarted = await startBinEmulator(defer, ['--port', '0', '--state-dir', stateDir, '--speed', '20']);
  const again = awsClients(restarted.url);
  defer(() => {
    again.ecr.destroy();
    again.ecs.destroy();
    again.elbv2.destroy();
  });
  const images = await again.ecr.send(new DescribeImagesCommand({ repositoryName: 'app' }));
  assert.deepEqual(images.imageDetails?.flatMap((d) => d.imageTags ?? []).sort(), ['v1', 'v2']);
  const old = await again.ecs.send(new DescribeTasksCommand({ cluster: 'local', tasks: [task.taskArn ?? ''] }));
  assert.deepEqual([old.tasks?.[0]?.lastStatus, old.tasks?.[0]?.stoppedReason], ['STOPPED', 'Task stopped because the emulator restarted']);
});

test('--listener-port-map serves listener port 80 on a local port while the API still says 80', { timeout: 20_000 }, async (t) => {
  const local = await freePort();
  const defer = cleanups(t);
  const emulator = await startBinEmulator(defer, ['--port', '0', '--in-memory', '--speed', '20', '--listener-port-map', `80=${local}`]);
  const { ecs, ecr, elbv2 } = awsClients(emulator.url);
  defer(() => {
    ecs.destroy();
    ecr.destroy();
    elbv2.destroy();
  });

  const lb = await elbv2.send(new CreateLoadBalancerCommand({ Name: 'mapped-lb', Type: 'application', Subnets: ['subnet-local'] }));
  const tg = await elbv2.send(
    new CreateTargetGroupCommand({ Name: 'mapped-tg', Protocol: 'HTTP', Port: 8080, VpcId: 'vpc-local', TargetType: 'ip', HealthCheckPath: '/health' }),
  );
  const created = await elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: lb.LoadBalancers?.[0]?.LoadBalancerArn,
      Protocol: 'HTTP',
      Port: 80,
      DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroups?.[0]?.TargetGroupArn }],
    }),
  );
  const listenerArn = created.Listeners?.[0]?.ListenerArn;
  assert.equal(created.Listeners?.[0]?.Port, 80);
  const described = await elbv2.send(new DescribeListenersCommand({ ListenerArns: [listenerArn ?? ''] }));
  assert.equal(described.Listeners?.[0]?.Port, 80, 'the API shows the listener port, not the local one');

  // The target group has no targets: ALB itself answers 503.
  const answer = await pollUntil(`the listener answers on 127.0.0.1:${local}`, 5_000, () => httpGet(`http://127.0.0.1:${local}/`), 50);
  assert.equal(answer.status, 503, answer.body);
  assert.equal(answer.headers.server, 'awselb/2.0');
  assert.match(answer.body, /<title>503 Service Temporarily Unavailable<\/title>/);

  // Deleting the listener frees the local port.
  await elbv2.send(new DeleteListenerCommand({ ListenerArn: listenerArn }));
  await pollUntil(`127.0.0.1:${local} closes after DeleteListener`, 5_000, () =>
    httpGet(`http://127.0.0.1:${local}/`).then(
      () => undefined,
      (err: NodeJS.ErrnoException) => (err.code === 'ECONNREFUSED' ? true : undefined),
    ),
  50);
});

test('bad emulator flags exit 2 with a message naming the flag, and start nothing', { timeout: 20_000 }, async () => {
  const cases: Array<{ args: string[]; expect: RegExp }> = [
    { args: ['--speed', 'fast'], expect: /^error: --speed: expected a positive number, got 'fast'$/m },
    { args: ['--speed', '0'], expect: /^error: --speed: expected a positive number, got '0'$/m },
    { args: ['--listener-port-map', '80'], expect: /^error: --listener-port-map: expected LISTENER=LOCAL pairs like 80=8080,443=8443, got '80'$/m },
    { args: ['--listener-port-map', '80=99999'], expect: /^error: --listener-port-map: expected a port number, got '99999'$/m },
    { args: ['--port', 'http'], expect: /^error: --port: expected a port number, got 'http'$/m },
    { args: ['--bogus'], expect: /Unknown option '--bogus'[\s\S]*see: ecs-rollout emulator --help/ },
  ];
  const runs = await Promise.all(cases.map((c) => runBin(['emulator', '--in-memory', ...c.args], envWith(), 10_000)));
  for (const [i, run] of runs.entries()) {
    const c = cases[i];
    assert.ok(c);
    assert.equal(run.code, 2, `${c.args.join(' ')}: ${show(run)}`);
    assert.match(run.stderr, c.expect, c.args.join(' '));
    assert.doesNotMatch(run.stdout, /serving/, `${c.args.join(' ')}: the emulator did not start`);
  }

  // A port another process holds is the user's to fix: exit 2, naming the address.
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const port = (holder.address() as AddressInfo).port;
  try {
    const busy = await runBin(['emulator', '--in-memory', '--port', String(port)], envWith(), 10_000);
    assert.equal(busy.code, 2, show(busy));
    assert.match(busy.stderr, new RegExp(`^error: cannot serve the emulator on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`, 'm'));
  } finally {
    await new Promise<void>((resolve) => holder.close(() => resolve()));
  }
});
