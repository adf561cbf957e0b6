/**
 * Benchmark: ECS-native traffic shifting on the emulator, measured at the listener.
 *
 * 1. Traffic share: a LINEAR deployment (20% steps); at each production
 *    weight, 1000 requests through the production listener, and the share the
 *    new revision served against the weight ECS set (target: within 3 points).
 * 2. Rollback time: a BLUE_GREEN deployment paused by a PAUSE hook after
 *    production moved to the new revision; the time from
 *    ContinueServiceDeployment ROLLBACK (what a failing gate sends) to
 *    production traffic fully back on the old revision, at clock speed 1
 *    (target: under 1 s; the tool adds at most one poll interval to notice
 *    the gate's verdict).
 *
 * 3. Gate to production back: `ecs-rollout deploy` with a gate at
 *    POST_PRODUCTION_TRAFFIC_SHIFT that fails, at clock speed 1: the time
 *    from the gate's failure (the CLI's gate-failed event) to production
 *    traffic fully back on the old revision, and from the hook starting to
 *    wait (as ECS reports it) to the tool running the gate: at most one
 *    poll interval (250 ms against the emulator).
 *
 * Options (env): BENCH_SHARE_SPEED (default 10), BENCH_REQUESTS (default 1000).
 */
import {
  ContinueServiceDeploymentCommand, DescribeServiceDeploymentsCommand, DescribeServicesCommand, ECSClient,
  RegisterTaskDefinitionCommand, UpdateServiceCommand, type DeploymentConfiguration, type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../src/emulator/index.js';
import { createBlueGreenStack, type BlueGreenStack } from '../examples/lib/blue-green-stack.js';
import { pushSampleVersions, runCli } from '../examples/lib/sample-stack.js';
import { jsonLines } from './cli-lines.js';
import { agent, backOnV1, until, version } from './listener-probe.js';

const shareSpeed = Number(process.env.BENCH_SHARE_SPEED ?? 10);
const requestsPerStep = Number(process.env.BENCH_REQUESTS ?? 1000);

interface Harness {
  emulator: Emulator;
  ecs: ECSClient;
  elbv2: ElasticLoadBalancingV2Client;
  stack: BlueGreenStack;
  images: Map<string, string>;
  close(): Promise<void>;
}

async function harness(name: string, speed: number, config: DeploymentConfiguration): Promise<Harness> {
  const emulator = await startEmulator({ port: 0, speed });
  const env = { ...process.env, AWS_ENDPOINT_URL: emulator.url, AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1' };
  const client = { endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } };
  const ecs = new ECSClient(client);
  const elbv2 = new ElasticLoadBalancingV2Client(client);
  const images = await pushSampleVersions(emulator.url, [{ tag: 'v1' }, { tag: 'v2' }], env);
  const stack = await createBlueGreenStack(ecs, elbv2, { name, image: images.get('v1') ?? '', desiredCount: 2 });
  await until(async () => (await current(ecs, stack))?.status === 'SUCCESSFUL', 120_000, 'the first deployment');
  await ecs.send(new UpdateServiceCommand({ cluster: stack.cluster, service: stack.service, deploymentConfiguration: config }));
  return {
    emulator, ecs, elbv2, stack, images,
    async close() {
      ecs.destroy();
      elbv2.destroy();
      await emulator.close();
    },
  };
}

async function current(ecs: ECSClient, stack: BlueGreenStack): Promise<ServiceDeployment | undefined> {
  const svc = (await ecs.send(new DescribeServicesCommand({ cluster: stack.cluster, services: [stack.service] }))).services?.[0];
  if (!svc?.currentServiceDeployment) return undefined;
  return (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [svc.currentServiceDeployment] }))).serviceDeployments?.[0];
}

async function deployV2(h: Harness): Promise<void> {
  const td = await h.ecs.send(new RegisterTaskDefinitionCommand({
    family: h.stack.cluster,
    containerDefinitions: [{ name: h.stack.container, image: h.images.get('v2'), memory: 128, portMappings: [{ containerPort: 8080 }], stopTimeout: 5 }],
  }));
  await h.ecs.send(new UpdateServiceCommand({ cluster: h.stack.cluster, service: h.stack.service, taskDefinition: td.taskDefinition?.taskDefinitionArn }));
}

async function measureShares(): Promise<Array<{ weight: number; share: number; requests: number }>> {
  const h = await harness('share', shareSpeed, { strategy: 'LINEAR', linearConfiguration: { stepPercent: 20, stepBakeTimeInMinutes: 1 }, bakeTimeInMinutes: 0 });
  const rows: Array<{ weight: number; share: number; requests: number }> = [];
  try {
    await deployV2(h);
    const measured = new Set<number>();
    for (;;) {
      const d = await current(h.ecs, h.stack);
      const weight = d?.targetServiceRevision?.requestedProductionTrafficWeight;
      if (d?.status !== 'IN_PROGRESS' && d?.status !== 'PENDING') break;
      // PRE_PRODUCTION_TRAFFIC_SHIFT is a stage ECS reports that the SDK's enum does not list yet.
      const stage: string = d.lifecycleStage ?? '';
      if (stage.endsWith('PRODUCTION_TRAFFIC_SHIFT')) {
        if (weight !== undefined && weight > 0 && weight < 100 && !measured.has(weight)) {
          measured.add(weight);
          let v2 = 0;
          for (let i = 0; i < requestsPerStep; i += 1) if ((await version(h.stack.productionUrl)) === 'v2') v2 += 1;
          rows.push({ weight, share: (100 * v2) / requestsPerStep, requests: requestsPerStep });
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await h.close();
  }
  return rows;
}

async function measureRollback(): Promise<{ toWeightsMs: number; toTrafficMs: number }> {
  const h = await harness('rollback', 1, {
    strategy: 'BLUE_GREEN',
    bakeTimeInMinutes: 0,
    lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_PRODUCTION_TRAFFIC_SHIFT'], timeoutConfiguration: { timeoutInMinutes: 30, action: 'ROLLBACK' } }],
  });
  try {
    await deployV2(h);
    const paused = await until(async () => {
      const d = await current(h.ecs, h.stack);
      const hook = d?.lifecycleHookDetails?.find((x) => x.status === 'AWAITING_ACTION');
      return hook && d ? { arn: d.serviceDeploymentArn ?? '', hookId: hook.hookId ?? '' } : undefined;
    }, 180_000, 'the PAUSE hook after the production shift');
    if ((await version(h.stack.productionUrl)) !== 'v2') throw new Error('production is not on v2 at the pause');
    const started = performance.now();
    await h.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: paused.arn, hookId: paused.hookId, action: 'ROLLBACK' }));
    let toWeightsMs = Number.NaN;
    await until(async () => {
      const d = await current(h.ecs, h.stack);
      if (Number.isNaN(toWeightsMs) && d?.targetServiceRevision?.requestedProductionTrafficWeight === 0) toWeightsMs = performance.now() - started;
      return !Number.isNaN(toWeightsMs);
    }, 30_000, 'production weights back on the old revision');
    const firstOld = await backOnV1(h.stack.productionUrl);
    return { toWeightsMs, toTrafficMs: firstOld - started };
  } finally {
    await h.close();
  }
}

async function measureGateRollback(): Promise<{ gateToTrafficMs: number; waitToGateMs: number }> {
  const h = await harness('gate', 1, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'ecs-rollout-bench-'));
  try {
    const config = join(dir, 'ecs-rollout.yaml');
    writeFileSync(config, ['strategy:', '  bake: 0s', '  gates:', '    - stage: POST_PRODUCTION_TRAFFIC_SHIFT', '      name: smoke', '      command: { run: "exit 1" }'].join('\n'));
    let waitingAt = Number.NaN;
    const watcher = (async () => {
      await until(async () => {
        const d = await current(h.ecs, h.stack);
        if (d?.lifecycleHookDetails?.some((x) => x.status === 'AWAITING_ACTION')) waitingAt = performance.now();
        return !Number.isNaN(waitingAt);
      }, 180_000, 'the gate hook to wait');
    })();
    const gateStarted: number[] = [];
    const gateFailed: number[] = [];
    const { stream } = jsonLines((line) => {
      if (line.event.type === 'gate-started') gateStarted.push(performance.now());
      if (line.event.type === 'gate-failed') gateFailed.push(performance.now());
    });
    const env = { ...process.env, AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1' };
    const deploying = runCli(
      ['deploy', '--cluster', h.stack.cluster, '--service', h.stack.service, '--image', h.images.get('v2') ?? '', '--strategy', 'blue-green', '--config', config, '--output', 'json', '--endpoint-url', h.emulator.url],
      env,
      stream,
    );
    await watcher;
    await until(async () => gateFailed.length > 0, 60_000, 'the gate to fail');
    const failedAt = gateFailed[0] ?? Number.NaN;
    const firstOld = await backOnV1(h.stack.productionUrl);
    const run = await deploying;
    if (run.code !== 3) throw new Error(`the deploy should have been rolled back (exit 3), got exit ${run.code}: ${run.stderr}`);
    return { gateToTrafficMs: Math.max(0, firstOld - failedAt), waitToGateMs: (gateStarted[0] ?? Number.NaN) - waitingAt };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await h.close();
  }
}

const shares = await measureShares();
console.log(`traffic share at the production listener, LINEAR 20% steps, ${requestsPerStep} requests per step, clock ${shareSpeed}x`);
for (const row of shares) {
  console.log(`  weight ${String(row.weight).padStart(3)}%: new revision served ${row.share.toFixed(1)}% (off by ${Math.abs(row.share - row.weight).toFixed(1)} points; target <= 3)`);
}
const rollback = await measureRollback();
console.log('\nrollback at clock speed 1: ContinueServiceDeployment ROLLBACK at a PAUSE hook after the production shift');
console.log(`  production weights back on the old revision after ${rollback.toWeightsMs.toFixed(0)} ms (as DescribeServiceDeployments reports)`);
console.log(`  production traffic back on the old revision after ${rollback.toTrafficMs.toFixed(0)} ms (first of 50 consecutive v1 answers; target < 1000 ms)`);
const gate = await measureGateRollback();
console.log('\nrollback at clock speed 1 through ecs-rollout deploy: a gate at POST_PRODUCTION_TRAFFIC_SHIFT that fails');
console.log(`  hook waiting (ECS) -> the tool runs the gate: ${gate.waitToGateMs.toFixed(0)} ms (at most one poll interval, 250 ms, plus a DescribeServiceDeployments)`);
console.log(`  gate failed -> production traffic back on the old revision: ${gate.gateToTrafficMs.toFixed(0)} ms (first of 50 consecutive v1 answers; target < 1000 ms)`);
agent.destroy();
if (shares.some((r) => Math.abs(r.share - r.weight) > 3)) process.exitCode = 1;
