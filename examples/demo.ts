/**
 * `npm run demo`: the main job, on one machine, with no AWS account.
 *
 * Starts the emulator in this process and pushes the sample app as versions.
 * Part 1, rolling: a cluster, a load balancer and a 3-task service under
 * steady HTTP load; v2 deploys without losing a request, v3 crashes on start
 * and the circuit breaker rolls it back. Part 2, ECS's own blue/green and
 * canary on a second service with production and test listener rules: a
 * blue/green of a broken v2 whose smoke test (run by the tool against the
 * test listener) fails is rolled back before production sees it; a canary of
 * a good v2 (10%, then the rest) completes. Part 3, the canary the tool
 * drives itself by moving a listener rule's weights between a stable and a
 * canary service, judged by metric analysis of the traffic the load balancer
 * really proxied (the canary's 5xx rate against the stable's, from
 * CloudWatch): a v2 that fails 20% of requests is rolled back; a good v2 is
 * promoted. Part 4, blue/green through CodeDeploy: a CODE_DEPLOY service
 * whose deployment group waits with test traffic on the new tasks; the tool's
 * smoke test against the test listener stops a broken v2 before production
 * moves, and a good v2 goes out as a CodeDeploy canary. Every deploy is the
 * real `ecs-rollout deploy`; the summary says what the users behind the load
 * balancer saw.
 */
import { startEmulator } from '../src/emulator/index.js';
import { main } from '../src/cli/main.js';
import { LoadGenerator, type PhaseStats } from './lib/load.js';
import { createSampleStack, pushSampleVersions, waitForSteadyState } from './lib/sample-stack.js';
import { createBlueGreenStack } from './lib/blue-green-stack.js';
import { createAlbCanaryStack } from './lib/alb-canary-stack.js';
import { albCanarySettings } from './lib/alb-canary-settings.js';
import { createCodeDeployStack } from './lib/codedeploy-stack.js';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';

const EXIT_ROLLED_BACK = 3;
const speed = Number(process.env.DEMO_SPEED ?? 10);
const out = process.stdout;
const say = (line = ''): void => {
  out.write(`${line}\n`);
};

/** Writes an ecs-rollout.yaml into a temporary folder, shows it, and returns its path. */
function settingsFile(dir: string, name: string, yaml: string): string {
  const path = join(dir, name);
  writeFileSync(path, yaml);
  say(`# ${name}`);
  for (const line of yaml.trimEnd().split('\n')) say(`#   ${line}`);
  return path;
}

/** Until `url` has answered 20 requests in a row with HTTP 200: every task behind the listener is up. */
async function waitForHealthy(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let streak = 0;
  while (streak < 20) {
    if (Date.now() > deadline) throw new Error(`${url} did not answer 20 requests in a row within ${timeoutMs / 1000} s`);
    const ok = await fetch(url).then((r) => r.ok, () => false);
    streak = ok ? streak + 1 : 0;
    if (!ok) await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function deploy(env: NodeJS.ProcessEnv, args: string[]): Promise<{ code: number; seconds: number }> {
  const started = Date.now();
  const code = await main(['deploy', ...args], { stdout: out, stderr: process.stderr, env });
  return { code, seconds: (Date.now() - started) / 1000 };
}

const ANALYSIS_INTERVAL_MINUTES = 1;

/**
 * From a deployment log: which measurement failed the canary, how long after
 * the canary first got traffic (in the emulator's minutes), and how long from
 * that measurement until the weights were confirmed back on stable.
 */
function detectionFrom(log: string, clockSpeed: number): { failedAt: number | undefined; caughtMinutes: number; backMs: number } {
  const events = log.trim().split('\n').map((line) => JSON.parse(line) as { type: string; at?: string; canary?: number; phase?: string; index?: number; confirmed?: boolean });
  const time = (e: { at?: string } | undefined): number => (e?.at ? Date.parse(e.at) : Number.NaN);
  const exposed = events.find((e) => e.type === 'weights-changed' && (e.canary ?? 0) > 0);
  const failed = events.find((e) => e.type === 'analysis-measurement' && e.phase === 'Failed');
  const back = events.find((e) => e.type === 'weights-changed' && e.canary === 0 && e.confirmed === true && time(e) >= time(failed));
  return { failedAt: failed?.index, caughtMinutes: ((time(failed) - time(exposed)) * clockSpeed) / 60_000, backMs: time(back) - time(failed) };
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
  const codedeploy = new CodeDeployClient(config);
  let load: LoadGenerator | undefined;
  const workDir = mkdtempSync(join(tmpdir(), 'ecs-rollout-demo-'));
  try {
    say(`Emulator at ${emulator.url}`);
    say('Pushing sample-app v1, v2, v3 (crashes on start), v2-broken (answers 500 to every request but its health check) and v2-flaky (500 to 20% of requests)...');
    const images = await pushSampleVersions(
      emulator.url,
      [
        { tag: 'v1' }, { tag: 'v2' }, { tag: 'v3', env: { CRASH_ON_START: '1' } }, { tag: 'v2-broken', env: { FAIL_RATE: '1' } },
        { tag: 'v2-flaky', env: { FAIL_RATE: '0.2' } },
      ],
      env,
    );

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

    say('\nPart 2: ECS-native blue/green and canary, with the tool running the gates.');
    say('Creating a second service behind production and test listener rules (two target groups)...');
    const bg = await createBlueGreenStack(ecs, elbv2, { name: 'shop', image: images.get('v1') ?? '', desiredCount: 2 });
    await waitForSteadyState(ecs, { cluster: bg.cluster, service: bg.service }, 120_000);
    load = new LoadGenerator(bg.productionUrl, 4);
    const bgTarget = ['--cluster', bg.cluster, '--service', bg.service, '--container', bg.container];

    say('\n$ ecs-rollout deploy --cluster shop --service shop --tag v2-broken --strategy blue-green --config blue-green.yaml');
    const smoke = settingsFile(workDir, 'blue-green.yaml', [
      'strategy:',
      '  bake: 1m',
      '  gates:',
      '    - stage: POST_TEST_TRAFFIC_SHIFT   # green serves the test listener only',
      '      name: smoke',
      `      http: { url: "${bg.testUrl}", expectStatus: 200, timeout: 2s, retries: 2, interval: 1s }`,
    ].join('\n'));
    load.mark('blue/green v2-broken');
    const blueGreen = await deploy(env, [...bgTarget, '--tag', 'v2-broken', '--strategy', 'blue-green', '--config', smoke]);
    const blueGreenStats = load.mark('between');

    say('\n$ ecs-rollout deploy --cluster shop --service shop --tag v2 --strategy canary --config canary.yaml');
    const canaryFile = settingsFile(workDir, 'canary.yaml', [
      'strategy:',
      '  canary: { percent: 10, bake: 1m }   # 10% of production, then the rest',
      '  bake: 1m',
      '  gates:',
      '    - stage: PRE_PRODUCTION_TRAFFIC_SHIFT   # before each production step',
      '      name: smoke',
      `      http: { url: "${bg.testUrl}", expectStatus: 200, timeout: 2s, retries: 2, interval: 1s }`,
    ].join('\n'));
    load.mark('canary v2');
    const canary = await deploy(env, [...bgTarget, '--tag', 'v2', '--strategy', 'canary', '--config', canaryFile]);
    const canaryStats = load.mark('after');
    await load.stop();
    load = undefined;

    say('\nPart 3: the canary the tool drives itself, judged by metrics of the real traffic.');
    say('Creating a stable and a canary service behind one listener rule (weights 100/0)...');
    const web = await createAlbCanaryStack(ecs, elbv2, { name: 'web', image: images.get('v1') ?? '', desiredCount: 2 });
    await waitForSteadyState(ecs, { cluster: web.cluster, service: web.service }, 120_000);
    load = new LoadGenerator(web.url, 4);
    const webTarget = ['--cluster', web.cluster, '--service', web.service, '--container', web.container];
    const albFile = settingsFile(workDir, 'alb-canary.yaml', albCanarySettings(web, { interval: `${ANALYSIS_INTERVAL_MINUTES}m`, count: 3 }));

    const flakyLog = join(workDir, 'v2-flaky.jsonl');
    say('\n$ ecs-rollout deploy --cluster web --service web --tag v2-flaky --config alb-canary.yaml --log v2-flaky.jsonl');
    load.mark('alb canary v2-flaky');
    const flaky = await deploy(env, [...webTarget, '--tag', 'v2-flaky', '--config', albFile, '--log', flakyLog]);
    const flakyStats = load.mark('between');
    const detection = detectionFrom(readFileSync(flakyLog, 'utf8'), speed);

    say('\n$ ecs-rollout deploy --cluster web --service web --tag v2 --config alb-canary.yaml');
    load.mark('alb canary v2');
    const promoted = await deploy(env, [...webTarget, '--tag', 'v2', '--config', albFile]);
    const promotedStats = load.mark('after');
    await load.stop();
    load = undefined;

    say('\nPart 4: blue/green through CodeDeploy, with the tool running the gate while CodeDeploy waits.');
    say('Creating a CODE_DEPLOY service, production and test listeners, and a CodeDeploy application and deployment group that waits with test traffic on the new tasks...');
    const api = await createCodeDeployStack({ ecs, elbv2, codedeploy }, { name: 'api', image: images.get('v1') ?? '', desiredCount: 2, group: { readyWaitMinutes: 30 } });
    await waitForHealthy(api.url);
    load = new LoadGenerator(api.url, 4);
    const apiTarget = ['--cluster', api.name, '--service', api.name];
    const codeDeployFile = settingsFile(workDir, 'codedeploy.yaml', [
      'strategy:',
      '  canary: { percent: 20, bake: 1m }   # CodeDeploy TimeBasedCanary: 20% of production for 1m, then the rest',
      '  gates:',
      '    - stage: POST_TEST_TRAFFIC_SHIFT   # while CodeDeploy waits with test traffic on the new tasks',
      '      name: smoke',
      `      http: { url: "${api.testUrl}", expectStatus: 200, timeout: 2s, retries: 2, interval: 1s }`,
    ].join('\n'));
    say('\n$ ecs-rollout deploy --cluster api --service api --tag v2-broken --strategy canary --config codedeploy.yaml');
    load.mark('codedeploy v2-broken');
    const cdBroken = await deploy(env, [...apiTarget, '--tag', 'v2-broken', '--strategy', 'canary', '--config', codeDeployFile]);
    const cdBrokenStats = load.mark('between');
    say('\n$ ecs-rollout deploy --cluster api --service api --tag v2 --strategy canary --config codedeploy.yaml');
    load.mark('codedeploy v2');
    const cdGood = await deploy(env, [...apiTarget, '--tag', 'v2', '--strategy', 'canary', '--config', codeDeployFile]);
    const cdGoodStats = load.mark('after');
    await load.stop();
    load = undefined;

    const stats = await fetch(`${emulator.url}/_emulator/stats`).then((r) => r.json() as Promise<{ total: number }>);
    const brokenServed = blueGreenStats.versions['v2-broken'] ?? 0;
    say('\nSummary');
    say(`  rolling (service demo): ${total.sent} requests through the load balancer, ${total.failed} failed`);
    say(`    deploy v2: exit ${good.code} in ${good.seconds.toFixed(1)} s; during it ${describePhase(goodStats)}`);
    say(`    deploy v3: exit ${bad.code} (${bad.code === EXIT_ROLLED_BACK ? 'rolled back by the circuit breaker' : 'unexpected'}) in ${bad.seconds.toFixed(1)} s; during it ${describePhase(badStats)}`);
    say('  ECS-native (service shop), production listener:');
    say(`    blue/green v2-broken: exit ${blueGreen.code} (${blueGreen.code === EXIT_ROLLED_BACK ? 'smoke test failed, rolled back' : 'unexpected'}) in ${blueGreen.seconds.toFixed(1)} s; during it ${describePhase(blueGreenStats)}; served by v2-broken: ${brokenServed}`);
    say(`    canary v2 (10%, then the rest): exit ${canary.code} in ${canary.seconds.toFixed(1)} s; during it ${describePhase(canaryStats)}`);
    say('  the tool\'s own canary (service web), one listener rule:');
    say(`    canary v2-flaky: exit ${flaky.code} (${flaky.code === EXIT_ROLLED_BACK ? 'analysis found its 5xx rate above stable\'s, rolled back' : 'unexpected'}) in ${flaky.seconds.toFixed(1)} s; during it ${describePhase(flakyStats)}; failed requests users saw: ${flakyStats.failed}`);
    say(`      caught by measurement ${detection.failedAt ?? '-'} of the analysis (every ${ANALYSIS_INTERVAL_MINUTES}m), ${detection.caughtMinutes.toFixed(1)} emulated minutes after the canary got traffic; weights back on stable ${detection.backMs.toFixed(0)} ms after that measurement`);
    say(`    canary v2: exit ${promoted.code} (${promoted.code === 0 ? 'promoted' : 'unexpected'}) in ${promoted.seconds.toFixed(1)} s; during it ${describePhase(promotedStats)}`);
    say('  blue/green through CodeDeploy (service api), production listener:');
    say(`    v2-broken: exit ${cdBroken.code} (${cdBroken.code === EXIT_ROLLED_BACK ? 'smoke test failed at the ready wait, stopped and rolled back' : 'unexpected'}) in ${cdBroken.seconds.toFixed(1)} s; during it ${describePhase(cdBrokenStats)}; served by v2-broken: ${cdBrokenStats.versions['v2-broken'] ?? 0}`);
    say(`    v2 (canary 20%, then the rest): exit ${cdGood.code} in ${cdGood.seconds.toFixed(1)} s; during it ${describePhase(cdGoodStats)}`);
    say(`  AWS API calls served by the emulator: ${stats.total}`);
    const ok =
      good.code === 0 && goodStats.failed === 0 && bad.code === EXIT_ROLLED_BACK &&
      blueGreen.code === EXIT_ROLLED_BACK && brokenServed === 0 && canary.code === 0 && canaryStats.failed === 0 &&
      flaky.code === EXIT_ROLLED_BACK && detection.caughtMinutes <= 2 * ANALYSIS_INTERVAL_MINUTES * 1.1 && promoted.code === 0 && promotedStats.failed === 0 &&
      cdBroken.code === EXIT_ROLLED_BACK && (cdBrokenStats.versions['v2-broken'] ?? 0) === 0 && cdBrokenStats.failed === 0 && cdGood.code === 0 && cdGoodStats.failed === 0;
    say(ok
      ? '\nDemo passed: v2 shipped losing no requests; v3 was rolled back; the broken blue/green never reached production; the canary shipped; the flaky canary was caught by its metrics and v2 promoted; CodeDeploy kept the broken v2 off production and shipped v2.'
      : '\nDemo did not go as expected: see above.');
    return ok ? 0 : 1;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
    await load?.stop();
    ecs.destroy();
    elbv2.destroy();
    codedeploy.destroy();
    await emulator.close();
  }
}

process.exitCode = await run().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  return 1;
});
