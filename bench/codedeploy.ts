/**
 * Benchmark: blue/green through CodeDeploy on the emulator, measured at the listeners.
 *
 * 1. Traffic share: CodeDeploy TimeBasedLinear, 25% every minute; at each
 *    production weight CodeDeploy reports for the replacement task set,
 *    BENCH_REQUESTS requests through the production listener, and the share
 *    the new version served (target: within 3 points).
 * 2. Gates at the ready wait, at clock speed 1, through `ecs-rollout deploy`
 *    with a gate that fails: from CodeDeploy reporting Ready to the tool
 *    running the gate (target: one poll interval, 250 ms, plus the reads of a
 *    tick); from the gate failing to the test listener back on the original
 *    (target < 1000 ms); and what production served meanwhile (target: only v1).
 * 3. Abort during a canary at clock speed 1: production at 20% on the new
 *    version, then `ecs-rollout abort`; from the command starting to
 *    production fully back on the original (target < 1000 ms).
 * 4. API calls of one all-at-once deploy through the CLI, by operation.
 *
 * Options (env): BENCH_SHARE_SPEED (default 10), BENCH_REQUESTS (default 1000).
 */
import {
  CodeDeployClient, CreateDeploymentCommand, CreateDeploymentConfigCommand, GetDeploymentCommand, GetDeploymentTargetCommand, ListDeploymentsCommand,
} from '@aws-sdk/client-codedeploy';
import { ECSClient } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../src/emulator/index.js';
import { createCodeDeployStack, type CodeDeployStack, type GroupOptions } from '../examples/lib/codedeploy-stack.js';
import { pushSampleVersions, runCli } from '../examples/lib/sample-stack.js';
import { jsonLines } from './cli-lines.js';
import { agent, backOnV1, until, version } from './listener-probe.js';

const shareSpeed = Number(process.env.BENCH_SHARE_SPEED ?? 10);
const requestsPerStep = Number(process.env.BENCH_REQUESTS ?? 1000);
const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
const env = { ...process.env, AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1' };

interface Harness {
  emulator: Emulator;
  codedeploy: CodeDeployClient;
  stack: CodeDeployStack;
  images: Map<string, string>;
  cli(args: string[], yaml?: string, onLine?: Parameters<typeof jsonLines>[0]): ReturnType<typeof runCli>;
  close(): Promise<void>;
}

async function harness(name: string, speed: number, group: GroupOptions): Promise<Harness> {
  const emulator = await startEmulator({ port: 0, speed });
  const client = { endpoint: emulator.url, region: 'us-east-1', credentials };
  const ecs = new ECSClient(client);
  const elbv2 = new ElasticLoadBalancingV2Client(client);
  const codedeploy = new CodeDeployClient(client);
  const images = await pushSampleVersions(emulator.url, [{ tag: 'v1' }, { tag: 'v2' }], { ...env, AWS_ENDPOINT_URL: emulator.url });
  const stack = await createCodeDeployStack({ ecs, elbv2, codedeploy }, { name, image: images.get('v1') ?? '', group });
  // Both original tasks healthy behind the production listener before anything is measured.
  await until(async () => {
    const health = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: stack.tg1 }));
    return (health.TargetHealthDescriptions ?? []).filter((d) => d.TargetHealth?.State === 'healthy').length === 2;
  }, 120_000, 'the original task set healthy');
  const dir = mkdtempSync(join(tmpdir(), 'ecs-rollout-bench-'));
  return {
    emulator, codedeploy, stack, images,
    cli(args, yaml = '', onLine) {
      const config = join(dir, 'ecs-rollout.yaml');
      writeFileSync(config, yaml);
      const { stream } = jsonLines(onLine);
      return runCli([...args, '--cluster', name, '--service', name, '--config', config, '--output', 'json', '--endpoint-url', emulator.url], env, stream);
    },
    async close() {
      rmSync(dir, { recursive: true, force: true });
      ecs.destroy();
      elbv2.destroy();
      codedeploy.destroy();
      await emulator.close();
    },
  };
}

async function measureShares(): Promise<Array<{ weight: number; share: number }>> {
  const h = await harness('share', shareSpeed, {});
  const rows: Array<{ weight: number; share: number }> = [];
  try {
    await h.codedeploy.send(new CreateDeploymentConfigCommand({
      deploymentConfigName: 'Bench.Linear25Every1', computePlatform: 'ECS', trafficRoutingConfig: { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 25, linearInterval: 1 } },
    }));
    const td = await h.stack.definition(h.images.get('v2') ?? '');
    const appSpec = JSON.stringify({ version: 0.0, Resources: [{ TargetService: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: td, LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 8080 } } } }] });
    const { deploymentId } = await h.codedeploy.send(new CreateDeploymentCommand({
      applicationName: h.stack.application, deploymentGroupName: h.stack.name, deploymentConfigName: 'Bench.Linear25Every1',
      revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpec } },
    }));
    const measured = new Set<number>();
    for (;;) {
      const info = (await h.codedeploy.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo;
      if (!['Created', 'Queued', 'InProgress', 'Ready'].includes(info?.status ?? '')) break;
      const target = await h.codedeploy.send(new GetDeploymentTargetCommand({ deploymentId, targetId: `${h.stack.name}:${h.stack.name}` })).catch(() => undefined);
      const weight = target?.deploymentTarget?.ecsTarget?.taskSetsInfo?.find((ts) => ts.taskSetLabel === 'Green')?.trafficWeight;
      if (weight !== undefined && weight > 0 && weight < 100 && !measured.has(weight)) {
        measured.add(weight);
        let v2 = 0;
        for (let i = 0; i < requestsPerStep; i += 1) if ((await version(h.stack.url)) === 'v2') v2 += 1;
        rows.push({ weight, share: (100 * v2) / requestsPerStep });
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await h.close();
  }
  return rows;
}

async function measureGate(): Promise<{ readyToGateMs: number; gateToTestBackMs: number; production: Map<string, number>; exit: number }> {
  const h = await harness('gate', 1, { readyWaitMinutes: 60 });
  try {
    let readyAt = Number.NaN;
    const gateStarted: number[] = [];
    const gateFailed: number[] = [];
    const production = new Map<string, number>();
    let deploying = true;
    const sampler = (async () => {
      while (deploying) {
        const v = await version(h.stack.url);
        production.set(v, (production.get(v) ?? 0) + 1);
      }
    })();
    const watcher = (async () => {
      await until(async () => {
        const id = await newestId(h);
        if (!id) return false;
        const info = (await h.codedeploy.send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo;
        if (info?.status === 'Ready') readyAt = performance.now();
        return !Number.isNaN(readyAt);
      }, 120_000, 'the deployment to be Ready');
    })();
    const run = h.cli(['deploy', '--tag', 'v2'], ['strategy:', '  gates:', '    - stage: POST_TEST_TRAFFIC_SHIFT', '      name: smoke', '      command: { run: "exit 1" }'].join('\n'), (line) => {
      if (line.event.type === 'gate-started') gateStarted.push(performance.now());
      if (line.event.type === 'gate-failed') gateFailed.push(performance.now());
    });
    await watcher;
    await until(async () => gateFailed.length > 0, 60_000, 'the gate to fail');
    const testBack = await backOnV1(h.stack.testUrl);
    const result = await run;
    deploying = false;
    await sampler;
    return { readyToGateMs: (gateStarted[0] ?? Number.NaN) - readyAt, gateToTestBackMs: Math.max(0, testBack - (gateFailed[0] ?? Number.NaN)), production, exit: result.code };
  } finally {
    await h.close();
  }
}

/** The newest deployment of the bench's group, or '' before there is one. */
async function newestId(h: Harness): Promise<string> {
  return (await h.codedeploy.send(new ListDeploymentsCommand({ applicationName: h.stack.application, deploymentGroupName: h.stack.name }))).deployments?.[0] ?? '';
}

async function measureAbort(): Promise<{ abortToProductionMs: number; exit: number }> {
  const h = await harness('abort', 1, { config: 'CodeDeployDefault.ECSCanary10Percent5Minutes' });
  try {
    const run = h.cli(['deploy', '--tag', 'v2']);
    await until(async () => {
      const id = await newestId(h);
      if (!id) return false;
      const target = await h.codedeploy.send(new GetDeploymentTargetCommand({ deploymentId: id, targetId: `${h.stack.name}:${h.stack.name}` })).catch(() => undefined);
      return target?.deploymentTarget?.ecsTarget?.taskSetsInfo?.find((ts) => ts.taskSetLabel === 'Green')?.trafficWeight === 10;
    }, 120_000, 'the canary at 10%');
    const started = performance.now();
    const aborted = await runCli(['abort', '--cluster', h.stack.name, '--service', h.stack.name, '--endpoint-url', h.emulator.url], env);
    if (aborted.code !== 0) throw new Error(`abort failed: ${aborted.stderr}`);
    const back = await backOnV1(h.stack.url);
    return { abortToProductionMs: back - started, exit: (await run).code };
  } finally {
    await h.close();
  }
}

async function measureCalls(): Promise<{ total: number; byOperation: Array<[string, number]>; exit: number }> {
  const h = await harness('calls', shareSpeed, {});
  try {
    const stats = async (): Promise<Record<string, number>> =>
      ((await (await fetch(`${h.emulator.url}/_emulator/stats`)).json()) as { operations: Record<string, number> }).operations;
    const before = await stats();
    const run = await h.cli(['deploy', '--tag', 'v2']);
    const after = await stats();
    const byOperation = Object.entries(after).map(([op, n]): [string, number] => [op, n - (before[op] ?? 0)]).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
    return { total: byOperation.reduce((sum, [, n]) => sum + n, 0), byOperation, exit: run.code };
  } finally {
    await h.close();
  }
}

const shares = await measureShares();
console.log(`traffic share at the production listener, CodeDeploy TimeBasedLinear 25% every minute, ${requestsPerStep} requests per step, clock ${shareSpeed}x`);
for (const row of shares) {
  console.log(`  green weight ${String(row.weight).padStart(3)}%: new version served ${row.share.toFixed(1)}% (off by ${Math.abs(row.share - row.weight).toFixed(1)} points; target <= 3)`);
}
const gate = await measureGate();
console.log('\na failing gate at the ready wait, clock speed 1, through ecs-rollout deploy');
console.log(`  Ready (CodeDeploy) -> the tool runs the gate: ${gate.readyToGateMs.toFixed(0)} ms (one poll interval, 250 ms, plus a tick's reads)`);
console.log(`  gate failed -> test listener back on the original: ${gate.gateToTestBackMs.toFixed(0)} ms (first of 50 consecutive v1 answers; target < 1000 ms)`);
console.log(`  production meanwhile: ${[...gate.production].map(([v, n]) => `${v}: ${n}`).join(', ')} (target: v1 only); deploy exit ${gate.exit} (expected 3)`);
const abort = await measureAbort();
console.log('\nabort during a canary (production 10% on the new version), clock speed 1');
console.log(`  ecs-rollout abort started -> production back on the original: ${abort.abortToProductionMs.toFixed(0)} ms (target < 1000 ms; includes the abort command's own start); deploy exit ${abort.exit} (expected 6)`);
const calls = await measureCalls();
console.log(`\nAPI calls of one all-at-once CodeDeploy deploy through the CLI (exit ${calls.exit}): ${calls.total}`);
console.log(`  ${calls.byOperation.map(([op, n]) => `${op} ${n}`).join(', ')}`);
agent.destroy();
if (shares.some((r) => Math.abs(r.share - r.weight) > 3) || gate.exit !== 3 || abort.exit !== 6 || [...gate.production.keys()].some((v) => v !== 'v1')) process.exitCode = 1;
