/**
 * `npm run demo`: the main job, on one machine, with no AWS account.
 *
 * Starts the emulator in this process, pushes the sample app as three
 * versions (v3 crashes on start), creates a cluster, a load balancer and a
 * 3-task service, sends steady HTTP load through the load balancer, deploys
 * v2 (succeeds) and v3 (the circuit breaker rolls it back) with the real
 * `ecs-rollout deploy`, and prints what the users behind the load balancer saw.
 */
import { startEmulator } from '../src/emulator/index.js';
import { main } from '../src/cli/main.js';
import { LoadGenerator, type PhaseStats } from './lib/load.js';
import { createSampleStack, pushSampleVersions, waitForSteadyState } from './lib/sample-stack.js';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';

const EXIT_ROLLED_BACK = 3;
const speed = Number(process.env.DEMO_SPEED ?? 10);
const out = process.stdout;
const say = (line = ''): void => {
  out.write(`${line}\n`);
};

async function deploy(env: NodeJS.ProcessEnv, args: string[]): Promise<{ code: number; seconds: number }> {
  const started = Date.now();
  const code = await main(['deploy', ...args], { stdout: out, stderr: process.stderr, env });
  return { code, seconds: (Date.now() - started) / 1000 };
}

function describePhase(stats: PhaseStats): string {
  const versions = Object.entries(stats.versions).map(([v, n]) => `${v}: ${n}`).join(', ');
  return `${stats.sent} requests, ${stats.failed} failed (${versions || 'no answers'})`;
}

async function run(): Promise<number> {
  say(`Starting the AWS emulator (clock ${speed}x faster than AWS)...`);
  const emulator = await startEmulator({ port: 0, speed });
  const env = { ...process.env, AWS_ENDPOINT_URL: emulator.url, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'demo', AWS_SECRET_ACCESS_KEY: 'demo' };
  const config = { endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' } };
  const ecs = new ECSClient(config);
  const elbv2 = new ElasticLoadBalancingV2Client(config);
  let load: LoadGenerator | undefined;
  try {
    say(`Emulator at ${emulator.url}`);
    say('Pushing sample-app v1, v2 and v3 (v3 crashes on start)...');
    const images = await pushSampleVersions(emulator.url, [{ tag: 'v1' }, { tag: 'v2' }, { tag: 'v3', env: { CRASH_ON_START: '1' } }], env);

    say('Creating cluster, load balancer, target group and a 3-task service on v1...');
    const stack = await createSampleStack(ecs, elbv2, { name: 'demo', image: images.get('v1') ?? '', desiredCount: 3 });
    await waitForSteadyState(ecs, stack, 120_000);
    say(`Service is steady; sending load to ${stack.listenerUrl}`);
    load = new LoadGenerator(stack.listenerUrl, 4);
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const target = ['--cluster', stack.cluster, '--service', stack.service, '--container', stack.container];
    say('\n$ ecs-rollout deploy --cluster demo --service demo --tag v2');
    load.mark('deploy v2');
    const good = await deploy(env, [...target, '--tag', 'v2']);
    const goodStats = load.mark('between');

    say('\n$ ecs-rollout deploy --cluster demo --service demo --tag v3');
    load.mark('deploy v3');
    const bad = await deploy(env, [...target, '--tag', 'v3']);
    const badStats = load.mark('after');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const phases = await load.stop();
    load = undefined;

    const total = phases.reduce((acc, p) => ({ sent: acc.sent + p.sent, failed: acc.failed + p.failed }), { sent: 0, failed: 0 });
    const stats = await fetch(`${emulator.url}/_emulator/stats`).then((r) => r.json() as Promise<{ total: number }>);
    say('\nSummary');
    say(`  requests sent through the load balancer: ${total.sent}, failed: ${total.failed}`);
    say(`  deploy v2: exit ${good.code} in ${good.seconds.toFixed(1)} s; during it ${describePhase(goodStats)}`);
    say(`  deploy v3: exit ${bad.code} (${bad.code === EXIT_ROLLED_BACK ? 'rolled back by the circuit breaker' : 'unexpected'}) in ${bad.seconds.toFixed(1)} s; during it ${describePhase(badStats)}`);
    say(`  AWS API calls served by the emulator: ${stats.total}`);
    const ok = good.code === 0 && goodStats.failed === 0 && bad.code === EXIT_ROLLED_BACK;
    say(ok ? '\nDemo passed: v2 shipped losing no requests; v3 was rolled back.' : '\nDemo did not go as expected: see above.');
    return ok ? 0 : 1;
  } finally {
    await load?.stop();
    ecs.destroy();
    elbv2.destroy();
    await emulator.close();
  }
}

process.exitCode = await run().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  return 1;
});
