/**
 * Benchmark: the tool's own canary (executor alb) of a version that fails
 * 20% of requests, under steady load through the listener rule, on the
 * emulator. Per round it prints:
 *
 * 1. Failed requests users saw, against what the canary should cost: the expected
 *    canary weight x error rate x requests sent while the canary was exposed
 *    (from the first request it answered to the last).
 * 2. Time from the first failing measurement (the analysis event as the CLI
 *    printed it) to the listener rule's weights back on stable (the CLI's
 *    confirmed weights-changed event), and to the last request the canary
 *    served at the listener.
 *
 * The analysis is the demo's: the canary's 5xx rate against the stable's,
 * measured each minute by CloudWatch from the traffic the load balancer
 * proxied; a canary more than one point worse is rolled back.
 *
 * Options (env): BENCH_SPEED (clock factor, default 20), BENCH_ROUNDS (default 3).
 */
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../src/emulator/index.js';
import { jsonLines } from './cli-lines.js';
import { createAlbCanaryStack } from '../examples/lib/alb-canary-stack.js';
import { albCanarySettings } from '../examples/lib/alb-canary-settings.js';
import { LoadGenerator, type LoadResult } from '../examples/lib/load.js';
import { pushSampleVersions, runCli, waitForSteadyState } from '../examples/lib/sample-stack.js';

const speed = Number(process.env.BENCH_SPEED ?? 20);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const ERROR_RATE = 0.2;

interface Round {
  exitCode: number;
  sent: number;
  failed: number;
  canaryServed: number;
  exposedMs: number;
  expected: number;
  detectMs: number;
  toWeightsBackMs: number;
  toLastCanaryRequestMs: number;
}

const emulator = await startEmulator({ port: 0, speed });
const env = { ...process.env, AWS_ENDPOINT_URL: emulator.url, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench' };
const config = { endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } };
const ecs = new ECSClient(config);
const elbv2 = new ElasticLoadBalancingV2Client(config);
const workDir = mkdtempSync(join(tmpdir(), 'ecs-rollout-bench-'));
const results: Round[] = [];
try {
  const images = await pushSampleVersions(emulator.url, [{ tag: 'v1' }, { tag: 'v2-flaky', env: { FAIL_RATE: String(ERROR_RATE) } }], env);
  const stack = await createAlbCanaryStack(ecs, elbv2, { name: 'bench', image: images.get('v1') ?? '', desiredCount: 2 });
  await waitForSteadyState(ecs, stack, 120_000);
  const settings = join(workDir, 'ecs-rollout.yaml');
  writeFileSync(settings, albCanarySettings(stack, { interval: '1m', count: 3 }));
  console.log(`alb canary of a version failing ${ERROR_RATE * 100}% of requests; steps 20% then 50%, each judged every minute; clock x${speed}, ${rounds} round(s)`);

  for (let round = 1; round <= rounds; round += 1) {
    const requests: LoadResult[] = [];
    const load = new LoadGenerator(stack.url, 4, 5000, (r) => requests.push(r));
    const { stream, lines } = jsonLines();
    const started = Date.now();
    const run = await runCli(
      ['deploy', '--cluster', stack.cluster, '--service', stack.service, '--container', stack.container, '--image', images.get('v2-flaky') ?? '', '--config', settings, '--output', 'json'],
      env,
      stream,
    );
    await load.stop();
    const during = requests.filter((r) => r.at >= started);
    const canary = during.filter((r) => r.version === 'v2-flaky' || (!r.ok && r.version === undefined));
    const served = during.filter((r) => r.version === 'v2-flaky');
    const failedAt = lines.find((l) => l.event.type === 'analysis-measurement' && l.event.phase === 'Failed')?.receivedAt;
    const backAt = lines.find((l) => l.event.type === 'weights-changed' && l.event.canary === 0 && l.event.confirmed === true && failedAt !== undefined && l.receivedAt >= failedAt)?.receivedAt;
    const firstCanary = canary[0]?.at ?? started;
    const lastCanary = canary.at(-1)?.at ?? started;
    const canaryWeight = 0.2;
    const exposedMs = lastCanary - firstCanary;
    const exposed = during.filter((r) => r.at >= firstCanary && r.at <= lastCanary).length;
    const rate = exposed / Math.max(1, exposedMs);
    results.push({
      exitCode: run.code,
      sent: during.length,
      failed: during.filter((r) => !r.ok).length,
      canaryServed: served.length,
      exposedMs,
      expected: canaryWeight * ERROR_RATE * exposed,
      detectMs: failedAt === undefined ? Number.NaN : failedAt - firstCanary,
      toWeightsBackMs: failedAt === undefined || backAt === undefined ? Number.NaN : backAt - failedAt,
      toLastCanaryRequestMs: failedAt === undefined ? Number.NaN : lastCanary - failedAt,
    });
    const r = results.at(-1);
    if (!r) break;
    console.log(
      `round ${round}: exit ${r.exitCode}; ${r.sent} requests, ${r.failed} failed (expected ${r.expected.toFixed(0)} = 20% x ${ERROR_RATE * 100}% x ${(rate * 1000).toFixed(0)} req/s x ${(r.exposedMs / 1000).toFixed(1)} s exposed); ` +
        `canary served ${r.canaryServed}; first failing measurement ${(r.detectMs / 1000).toFixed(1)} s (${((r.detectMs * speed) / 60_000).toFixed(1)} emulated min) after the canary's first request; ` +
        `weights back on stable ${r.toWeightsBackMs.toFixed(0)} ms after it; last canary request at the listener ${r.toLastCanaryRequestMs.toFixed(0)} ms after it`,
    );
    if (r.exitCode !== 3) console.log(run.stderr || run.stdout.split('\n').slice(-20).join('\n'));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  console.log(
    `summary: rolled back ${results.filter((r) => r.exitCode === 3).length}/${results.length}; failed requests ${results.map((r) => r.failed).join(', ')} against expected ${results.map((r) => r.expected.toFixed(0)).join(', ')}; ` +
      `failing measurement -> weights back on stable: median ${median(results.map((r) => r.toWeightsBackMs)).toFixed(0)} ms, max ${Math.max(...results.map((r) => r.toWeightsBackMs)).toFixed(0)} ms; ` +
      `-> last canary request: median ${median(results.map((r) => r.toLastCanaryRequestMs)).toFixed(0)} ms`,
  );
} finally {
  ecs.destroy();
  elbv2.destroy();
  await emulator.close();
  rmSync(workDir, { recursive: true, force: true });
}
