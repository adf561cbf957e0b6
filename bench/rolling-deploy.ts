/**
 * Benchmark: a rolling deploy of 4 tasks under steady load, on the emulator.
 * Prints, per deploy: requests sent and failed (target 0), the AWS API calls
 * the CLI made, by operation (the emulator's scheduler is in-process and makes
 * none), and the lag between
 * the deployment completing in the emulator and the CLI exiting (target < 1 s
 * with the default local polling).
 *
 * Options (env): BENCH_SPEED (clock factor, default 5), BENCH_ROUNDS (default 3).
 */
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { startEmulator } from '../src/emulator/index.js';
import { LoadGenerator } from '../examples/lib/load.js';
import { createSampleStack, pushSampleVersions, runCli, waitForSteadyState } from '../examples/lib/sample-stack.js';

const speed = Number(process.env.BENCH_SPEED ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

interface Round {
  tag: string;
  exitCode: number;
  sent: number;
  failed: number;
  lagMs: number;
  seconds: number;
  calls: Record<string, number>;
  totalCalls: number;
}

const emulator = await startEmulator({ port: 0, speed });
const env = { ...process.env, AWS_ENDPOINT_URL: emulator.url, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench' };
const config = { endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } };
const ecs = new ECSClient(config);
const elbv2 = new ElasticLoadBalancingV2Client(config);
const results: Round[] = [];
try {
  const tags = ['v1', 'v2', 'v3'];
  const images = await pushSampleVersions(emulator.url, tags.map((tag) => ({ tag })), env);
  const stack = await createSampleStack(ecs, elbv2, { name: 'bench', image: images.get('v1') ?? '', desiredCount: 4, deregistrationDelaySeconds: 5 });
  await waitForSteadyState(ecs, stack, 120_000);
  const load = new LoadGenerator(stack.listenerUrl, 4);
  for (let i = 0; i < rounds; i += 1) {
    const tag = tags[(i + 1) % tags.length] ?? 'v1';
    emulator.callLog.reset();
    load.mark(`deploy ${tag}`);
    const started = Date.now();
    const run = await runCli(['deploy', '--cluster', stack.cluster, '--service', stack.service, '--tag', tag, '--output', 'json'], env);
    const exitedAt = Date.now();
    const phase = load.mark('idle');
    const stats = emulator.callLog.stats();
    const described = await ecs.send(new DescribeServicesCommand({ cluster: stack.cluster, services: [stack.service] }));
    const primary = described.services?.[0]?.deployments?.find((d) => d.status === 'PRIMARY');
    const completedVirtual = primary?.updatedAt?.getTime() ?? Number.NaN;
    results.push({
      tag,
      exitCode: run.code,
      sent: phase.sent,
      failed: phase.failed,
      lagMs: exitedAt - emulator.clock.realTimeAt(completedVirtual),
      seconds: (exitedAt - started) / 1000,
      calls: stats.operations,
      totalCalls: stats.total,
    });
  }
  await load.stop();
} finally {
  ecs.destroy();
  elbv2.destroy();
  await emulator.close();
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
console.log(`rolling deploy of 4 tasks under load, emulator clock ${speed}x, ${rounds} rounds`);
for (const r of results) {
  console.log(`\n  deploy ${r.tag}: exit ${r.exitCode}, ${r.seconds.toFixed(1)} s, requests ${r.sent}, failed ${r.failed}, completion-to-exit lag ${r.lagMs.toFixed(0)} ms, API calls ${r.totalCalls}`);
  for (const [op, n] of Object.entries(r.calls)) console.log(`    ${op.padEnd(44)} ${n}`);
}
console.log(`\nfailed requests (target 0): ${results.reduce((n, r) => n + r.failed, 0)} of ${results.reduce((n, r) => n + r.sent, 0)}`);
console.log(`completion-to-exit lag (target < 1000 ms): median ${median(results.map((r) => r.lagMs)).toFixed(0)} ms, max ${Math.max(...results.map((r) => r.lagMs)).toFixed(0)} ms`);
if (results.some((r) => r.exitCode !== 0)) process.exitCode = 1;
