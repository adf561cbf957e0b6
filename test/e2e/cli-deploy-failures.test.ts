import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import {
  CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand,
  RegisterTaskDefinitionCommand, UpdateServiceCommand, type ECSClient,
} from '@aws-sdk/client-ecs';
import { main } from '../../src/cli/main.js';
import { createSampleStack, pushSampleVersions, runCli, waitForSteadyState, type CliRun, type SampleStack, type SampleStackOptions } from '../../examples/lib/sample-stack.js';
import { freePort } from '../../examples/lib/free-port.js';
import { uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';
import { pollUntil } from '../support/poll.js';

/**
 * Failure paths of `ecs-rollout deploy`, run in this process (runCli) against
 * an in-process emulator at 20x speed. The sample stack's settings at 20x:
 * health checks every 250 ms, healthy/unhealthy after 2, deregistration delay
 * 10 s -> 500 ms, health check grace period 30 s -> 1.5 s.
 */

type Context = { after: (fn: () => Promise<void> | void) => void };

interface JsonLine {
  type: string;
  [key: string]: unknown;
}

interface StoppedTask {
  taskArn: string;
  taskDefinitionArn: string | undefined;
  stopCode: string | undefined;
  stoppedReason: string | undefined;
  containers: Array<{ name: string; exitCode: number | undefined; reason: string | undefined }>;
}

interface JsonResult extends JsonLine {
  exitCode: number;
  outcome: string;
  reason: string | undefined;
  message: string;
  taskDefinitionArn: string | undefined;
  stoppedTasks: StoppedTask[];
}

interface StatusJson {
  taskDefinitionArn: string;
  runningCount: number;
  desiredCount: number;
  deployments: Array<{ id: string; status: string; taskDefinitionArn: string; rolloutState: string | undefined; running: number }>;
}

/** An environment with nothing of the caller's AWS settings in it. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('AWS_')) env[key] = value;
  return { ...env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', AWS_REGION: 'us-east-1', ...extra };
}

function jsonLines(run: CliRun): JsonLine[] {
  return run.stdout.trimEnd().split('\n').filter(Boolean).map((line) => JSON.parse(line) as JsonLine);
}

function resultOf(run: CliRun): JsonResult {
  const result = jsonLines(run).at(-1) as JsonResult | undefined;
  assert.equal(result?.type, 'result', run.stdout + run.stderr);
  return result as JsonResult;
}

function show(run: CliRun): string {
  return `exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}


async function runningTasksOf(ecs: ECSClient, cluster: string, service: string) {
  const list = await ecs.send(new ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'RUNNING' }));
  if (!list.taskArns?.length) return [];
  const described = await ecs.send(new DescribeTasksCommand({ cluster, tasks: list.taskArns }));
  return (described.tasks ?? []).filter((t) => t.lastStatus === 'RUNNING');
}

/**
 * A fresh emulator with the sample app pushed as v1, v2 and `sick` (UNHEALTHY=1:
 * it starts and listens, but /health answers 500), and a 2-task service on v1
 * behind a load balancer, in a steady state.
 */
async function setUp(t: Context, stackOptions: Partial<SampleStackOptions> = {}) {
  const { emulator, clients } = await startTestEmulator(t);
  const env = cleanEnv({ AWS_ENDPOINT_URL: emulator.url });
  const images = await pushSampleVersions(emulator.url, [{ tag: 'v1' }, { tag: 'v2' }, { tag: 'sick', env: { UNHEALTHY: '1' } }], env);
  const stack = await createSampleStack(clients.ecs, clients.elbv2, {
    name: uniqueName('fail'),
    image: images.get('v1') ?? '',
    desiredCount: 2,
    ...stackOptions,
  });
  await waitForSteadyState(clients.ecs, stack, 10_000);
  const cli = (...argv: string[]) => runCli(argv, env);
  const deploy = (...argv: string[]) => cli('deploy', '--cluster', stack.cluster, '--service', stack.service, ...argv);
  return { emulator, clients, env, images, stack, cli, deploy };
}

function revision(stack: SampleStack, n: number): RegExp {
  return new RegExp(`:task-definition/${stack.service}:${n}$`);
}

test('a version that fails its load balancer health checks is stopped by ECS and rolled back (exit 3) with the ELB reason', { timeout: 30_000 }, async (t) => {
  const { clients, stack, deploy, cli } = await setUp(t);
  // The grace period (30 s -> 1.5 s at 20x) only delays the verdict; 5 s -> 250 ms keeps the test short.
  await clients.ecs.send(new UpdateServiceCommand({ cluster: stack.cluster, service: stack.service, healthCheckGracePeriodSeconds: 5 }));

  const started = Date.now();
  const run = await deploy('--tag', 'sick', '--timeout', '30s', '--output', 'json');
  const elapsed = Date.now() - started;
  assert.equal(run.code, 3, show(run));
  const result = resultOf(run);
  assert.equal(result.exitCode, 3);
  assert.equal(result.outcome, 'rolled-back');
  assert.match(result.taskDefinitionArn ?? '', revision(stack, 2));
  assert.match(result.reason ?? '', /circuit breaker/, result.message);

  const expectedReason = `Task failed ELB health checks in (target-group ${stack.targetGroupArn})`;
  // The breaker's threshold for 2 desired tasks is 3 failures (50%, at least 3). A task still starting when it
  // trips is stopped by the rollback with another reason, so only the failed ones are counted.
  const failedElb = result.stoppedTasks.filter((task) => task.stoppedReason === expectedReason);
  assert.ok(failedElb.length >= 3, `3 tasks failed their ELB health checks: ${JSON.stringify(result.stoppedTasks, null, 2)}`);
  for (const task of failedElb) assert.equal(task.stopCode, 'ServiceSchedulerInitiated', JSON.stringify(task));
  for (const task of result.stoppedTasks) assert.match(task.taskDefinitionArn ?? '', revision(stack, 2), 'only tasks of the new revision are reported');
  const stoppedEvents = jsonLines(run).filter((l) => l.type === 'task-stopped');
  assert.ok(stoppedEvents.some((e) => e.stoppedReason === expectedReason), JSON.stringify(stoppedEvents));
  assert.ok(jsonLines(run).some((l) => l.type === 'rollback-started'));
  assert.ok(
    jsonLines(run).some((l) => l.type === 'service-event' && /\(port \d+\) is unhealthy in \(target-group /.test(String(l.message))),
    'ECS says which target went unhealthy',
  );
  t.diagnostic(`unhealthy deploy rolled back in ${elapsed} ms`);

  const status = await cli('status', '--cluster', stack.cluster, '--service', stack.service, '--output', 'json');
  assert.equal(status.code, 0, show(status));
  const parsed = JSON.parse(status.stdout) as StatusJson;
  assert.match(parsed.taskDefinitionArn, revision(stack, 1), 'the service is back on the old revision');
});

test('--timeout shorter than the deployment exits 5, says it keeps going, and the deployment goes on to complete', { timeout: 30_000 }, async (t) => {
  // Old tasks drain for 60 s -> 3 s at 20x before they stop: the deployment cannot finish in 1 s.
  const { stack, deploy, cli } = await setUp(t, { deregistrationDelaySeconds: 60 });
  const started = Date.now();
  const run = await deploy('--tag', 'v2', '--timeout', '1s');
  const elapsed = Date.now() - started;
  assert.equal(run.code, 5, show(run));
  assert.ok(elapsed < 5_000, `a 1 s timeout returned after ${elapsed} ms`);
  assert.match(run.stdout, /timed out after 1s following deployment ecs-svc\/\d+; it keeps going in ECS/);
  assert.match(run.stdout, /TIMED OUT: deployment ecs-svc\/\d+ of .* did not finish within the timeout; it keeps going in ECS \(watch it with ecs-rollout status; ecs-rollout deploy --resume follows it again\)/);

  const status = await cli('status', '--cluster', stack.cluster, '--service', stack.service, '--output', 'json');
  assert.equal(status.code, 0, show(status));
  const primary = (JSON.parse(status.stdout) as StatusJson).deployments.find((d) => d.status === 'PRIMARY');
  assert.match(primary?.taskDefinitionArn ?? '', revision(stack, 2));
  assert.ok(primary?.rolloutState === 'IN_PROGRESS' || primary?.rolloutState === 'COMPLETED', JSON.stringify(primary));

  const done = await pollUntil('the deployment completes after deploy gave up on it', 15_000, async () => {
    const later = await cli('status', '--cluster', stack.cluster, '--service', stack.service, '--output', 'json');
    const parsed = JSON.parse(later.stdout) as StatusJson;
    return parsed.deployments.length === 1 && parsed.deployments[0]?.rolloutState === 'COMPLETED' ? parsed : undefined;
  });
  assert.match(done.taskDefinitionArn, revision(stack, 2));
});

test('a bad config file is exit 2 naming the file and the field, and makes no AWS call', async (t) => {
  const { emulator } = await startTestEmulator(t);
  const env = cleanEnv({ AWS_ENDPOINT_URL: emulator.url });
  const dir = mkdtempSync(join(tmpdir(), 'ecs-rollout-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const stats = async () => {
    const run = await runCli(['emulator', 'stats', '--output', 'json'], env);
    assert.equal(run.code, 0, show(run));
    return JSON.parse(run.stdout) as { total: number; operations: Record<string, number> };
  };
  const before = await stats();
  assert.equal(before.total, 0, 'reading the stats is not an AWS call');

  const cases: Array<{ file: string; text: string; expect: RegExp }> = [
    { file: 'bad-timeout.yaml', text: 'cluster: prod\nservice: web\ntimeout: soon\n', expect: /timeout: expected a duration like 90s or 15m, got 'soon'/ },
    { file: 'unknown-field.yaml', text: 'cluster: prod\nservice: web\ncolour: blue\n', expect: /colour: unknown field; the fields are cluster, service, container/ },
    { file: 'bad-count.yaml', text: 'cluster: prod\nservice: web\ndesiredCount: three\n', expect: /desiredCount: expected a whole number of tasks, got 'three'/ },
    { file: 'unclosed.yaml', text: 'cluster: [prod\nservice: web\n', expect: /not valid YAML: .* at line 2, column 1/ },
    { file: 'bad-indent.yaml', text: 'cluster: prod\n  service: web\n', expect: /not valid YAML: .* at line 1, column \d+/ },
    { file: 'duplicate-key.yaml', text: 'cluster: prod\ncluster: staging\n', expect: /not valid YAML: Map keys must be unique at line 2/ },
    { file: 'a-list.yaml', text: '- cluster\n- service\n', expect: /expected a mapping of settings, got \["cluster","service"\]/ },
  ];
  for (const c of cases) {
    const path = join(dir, c.file);
    writeFileSync(path, c.text);
    const run = await runCli(['deploy', '--config', path, '--tag', 'v2'], env);
    assert.equal(run.code, 2, `${c.file}: ${show(run)}`);
    assert.ok(run.stderr.startsWith(`error: ${path}: `), `${c.file}: the message names the file: ${run.stderr}`);
    assert.match(run.stderr, c.expect, c.file);
    assert.equal(run.stdout, '', `${c.file}: nothing else happened`);
  }
  // The default ./ecs-rollout.yaml is named as the README shows it.
  writeFileSync(join(dir, 'ecs-rollout.yaml'), 'cluster: prod\nservice: web\ntimeout: soon\n');
  const stdout: string[] = [];
  const stderr: string[] = [];
  const sink = (chunks: string[]) => new Writable({ write(chunk: Buffer, _enc, done) { chunks.push(chunk.toString()); done(); } });
  const code = await main(['deploy', '--tag', 'v2'], { stdout: sink(stdout), stderr: sink(stderr), env, cwd: dir });
  assert.equal(code, 2, stderr.join(''));
  assert.equal(stderr.join(''), "error: ecs-rollout.yaml: timeout: expected a duration like 90s or 15m, got 'soon'\n");
  // The config is read for status too, with the same message.
  const status = await runCli(['status', '--config', join(dir, 'bad-timeout.yaml')], env);
  assert.equal(status.code, 2, show(status));
  assert.match(status.stderr, /bad-timeout\.yaml: timeout: expected a duration like 90s or 15m, got 'soon'/);
  // An explicit --config that does not exist is an error too, not silently the defaults.
  const missing = await runCli(['deploy', '--config', join(dir, 'nope.yaml'), '--tag', 'v2'], env);
  assert.equal(missing.code, 2, show(missing));
  assert.match(missing.stderr, /cannot read config file .*nope\.yaml/);

  const after = await stats();
  assert.equal(after.total, before.total, `no AWS call was made: ${JSON.stringify(after.operations)}`);
});

test('--image outside ECR: preflight does not check it, the deploy goes ahead, cannot pull, and is rolled back (exit 3)', { timeout: 30_000 }, async (t) => {
  const { stack, deploy } = await setUp(t);
  const run = await deploy('--image', 'docker.io/library/nginx:1', '--timeout', '30s', '--output', 'json');
  assert.equal(run.code, 3, show(run));
  const lines = jsonLines(run);
  const imageCheck = lines.find((l) => l.type === 'preflight-passed' && l.check === 'image');
  assert.equal(imageCheck?.message, 'docker.io/library/nginx:1 is not in ECR, existence not checked');
  const registered = lines.find((l) => l.type === 'revision-registered');
  assert.equal(registered?.image, 'docker.io/library/nginx:1');

  const result = resultOf(run);
  assert.equal(result.outcome, 'rolled-back');
  const cannotPull = result.stoppedTasks.filter((task) => /^CannotPullContainerError: /.test(task.stoppedReason ?? ''));
  assert.ok(cannotPull.length >= 3, `3 tasks could not pull the image: ${JSON.stringify(result.stoppedTasks, null, 2)}`);
  for (const task of cannotPull) {
    assert.equal(task.stopCode, 'TaskFailedToStart', JSON.stringify(task));
    assert.match(task.containers.find((c) => c.name === stack.container)?.reason ?? '', /CannotPullContainerError/);
  }
  assert.match(run.stdout, /"type":"rollback-started"/);
});

test('a task definition with two containers and no --container is exit 2 listing the containers, nothing changed', async (t) => {
  const { emulator, clients } = await startTestEmulator(t);
  const env = cleanEnv({ AWS_ENDPOINT_URL: emulator.url });
  const images = await pushSampleVersions(emulator.url, [{ tag: 'v1' }, { tag: 'v2' }], env);
  const name = uniqueName('two');
  await clients.ecs.send(new CreateClusterCommand({ clusterName: name }));
  const td = await clients.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: name,
      containerDefinitions: [
        { name: 'web', image: images.get('v1'), memory: 128, essential: true },
        { name: 'sidecar', image: images.get('v1'), memory: 64, essential: false },
      ],
    }),
  );
  await clients.ecs.send(new CreateServiceCommand({ cluster: name, serviceName: name, taskDefinition: td.taskDefinition?.taskDefinitionArn, desiredCount: 0 }));

  const run = await runCli(['deploy', '--cluster', name, '--service', name, '--tag', 'v2'], env);
  assert.equal(run.code, 2, show(run));
  assert.match(run.stderr, new RegExp(`task definition ${name}:1 has 2 containers \\(web, sidecar\\); pass --container NAME`));
  assert.match(run.stdout, /preflight FAILED: .*\(web, sidecar\)/);

  const wrong = await runCli(['deploy', '--cluster', name, '--service', name, '--container', 'db', '--tag', 'v2'], env);
  assert.equal(wrong.code, 2, show(wrong));
  assert.match(wrong.stderr, new RegExp(`task definition ${name}:1 has no container named db; its containers are: web, sidecar`));

  const described = await clients.ecs.send(new DescribeServicesCommand({ cluster: name, services: [name] }));
  assert.match(described.services?.[0]?.taskDefinition ?? '', new RegExp(`:task-definition/${name}:1$`), 'no revision was deployed');
  assert.equal(described.services?.[0]?.deployments?.length, 1);

  const chosen = await runCli(['deploy', '--cluster', name, '--service', name, '--container', 'sidecar', '--tag', 'v2', '--dry-run'], env);
  assert.equal(chosen.code, 0, show(chosen));
  assert.match(chosen.stdout, /container sidecar .*sample-app:v1 -> .*sample-app:v2/);
});

test('deploy against an endpoint that is down is exit 1 within seconds, naming the endpoint and what was being done', { timeout: 20_000 }, async () => {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const started = Date.now();
  const run = await runCli(['deploy', '--cluster', 'prod', '--service', 'web', '--tag', 'v2', '--endpoint-url', endpoint], cleanEnv());
  const elapsed = Date.now() - started;
  assert.equal(run.code, 1, show(run));
  assert.ok(elapsed < 5_000, `gave up after ${elapsed} ms`);
  assert.match(run.stderr, /^error: failed to run preflight checks for service web in cluster prod: /);
  assert.ok(run.stderr.includes(`127.0.0.1:${port}`), `the message names the endpoint: ${run.stderr}`);
  assert.match(run.stderr, /ECONNREFUSED/);

  const json = await runCli(['deploy', '--cluster', 'prod', '--service', 'web', '--tag', 'v2', '--output', 'json'], cleanEnv({ AWS_ENDPOINT_URL: endpoint }));
  assert.equal(json.code, 1, show(json));
  const result = resultOf(json) as unknown as { outcome: string; error: { kind: string; message: string } };
  assert.equal(result.outcome, 'error');
  assert.equal(result.error.kind, 'system');
  assert.ok(result.error.message.includes(`127.0.0.1:${port}`), result.error.message);
});

test('--desired-count 3 on a 2-task service ends with 3 running tasks of the new revision', { timeout: 30_000 }, async (t) => {
  const { clients, stack, deploy } = await setUp(t);
  const run = await deploy('--tag', 'v2', '--desired-count', '3', '--timeout', '30s');
  assert.equal(run.code, 0, show(run));
  assert.match(run.stdout, /updated service .*: deployment ecs-svc\/\d+ of .*:2 started \(desired count 3\)/);

  const described = await clients.ecs.send(new DescribeServicesCommand({ cluster: stack.cluster, services: [stack.service] }));
  const service = described.services?.[0];
  assert.equal(service?.desiredCount, 3);
  assert.equal(service?.runningCount, 3);
  assert.deepEqual(service?.deployments?.map((d) => [d.status, d.rolloutState, d.runningCount]), [['PRIMARY', 'COMPLETED', 3]]);
  const tasks = await runningTasksOf(clients.ecs, stack.cluster, stack.service);
  assert.equal(tasks.length, 3, JSON.stringify(tasks.map((task) => task.taskDefinitionArn)));
  for (const task of tasks) assert.match(task.taskDefinitionArn ?? '', revision(stack, 2));
});
