import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DeleteRuleCommand, DescribeTargetHealthCommand, ModifyListenerCommand, ModifyRuleCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { pollUntil } from '../support/poll.js';
import {
  canaryConfig, canaryStack, cli, deployArgs, describeService, ruleWeights, show, tagsOf, versionsAt, writeConfig, type CanaryTestStack,
} from './alb-canary-stack.js';

const BIN = fileURLToPath(new URL('../../../bin/ecs-rollout.js', import.meta.url));

interface JsonEvent {
  type: string;
  stable?: number;
  canary?: number;
  step?: number;
  confirmed?: boolean;
}

const eventsOf = (stdout: string): JsonEvent[] => stdout.trim().split('\n').map((line) => JSON.parse(line) as JsonEvent);

test('alb canary: 20% then 50% then the stable takes v2; weights end 100/0 and the canary at 0 tasks (exit 0)', async (t) => {
  const stack = await canaryStack(t);
  const yaml = canaryConfig(stack, ['setWeight: 20', 'pause: 500ms', 'setWeight: 50', 'pause: 500ms']);
  const run = await cli(stack, [...deployArgs(stack, 'v2'), '--output', 'json'], yaml);
  assert.equal(run.code, 0, show(run));

  const events = eventsOf(run.stdout);
  const weights = events.filter((e) => e.type === 'weights-changed').map((e) => `${e.stable}/${e.canary}${e.confirmed ? '' : '?'}`);
  assert.deepEqual(weights, ['80/20', '50/50', '100/0']);
  const order = events.map((e) => e.type).filter((type) => ['canary-healthy', 'weights-changed', 'promoting', 'promoted', 'canary-scaled-down'].includes(type));
  assert.deepEqual(order, ['canary-healthy', 'weights-changed', 'weights-changed', 'promoting', 'promoted', 'weights-changed', 'canary-scaled-down']);

  const stable = await describeService(stack, stack.service);
  assert.match(stable.taskDefinition ?? '', new RegExp(`task-definition/${stack.cluster}:2$`));
  assert.deepEqual(await ruleWeights(stack), { stable: 100, canary: 0 });
  assert.equal((await describeService(stack, stack.canaryService)).desiredCount, 0);
  assert.deepEqual([...(await tagsOf(stack, stack.canaryService)).keys()].filter((k) => k.startsWith('ecs-rollout:')), []);
  assert.deepEqual([...(await versionsAt(stack.url))], ['v2']);
});

/** Asks the listener which version answers, until stopped; counts every answer by status and version. */
function watchListener(url: string) {
  const answers = new Map<string, number>();
  let running = true;
  const loop = (async () => {
    while (running) {
      let key: string;
      try {
        const res = await fetch(url);
        const body = (await res.json()) as { version?: string };
        key = `${res.status} ${body.version ?? '?'}`;
      } catch (err) {
        key = `error ${(err as Error).message}`;
      }
      answers.set(key, (answers.get(key) ?? 0) + 1);
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  return {
    answers,
    async stop() {
      running = false;
      await loop;
      return new Map(answers);
    },
  };
}

test('alb canary: an analysis that finds errors rolls back (exit 3): weights back on stable (confirmed) before the canary scales to 0', async (t) => {
  const stack = await canaryStack(t);
  const script = join(stack.dir, 'error-rate.mjs');
  writeFileSync(script, 'let bad = 0;\nconst n = 40;\nfor (let i = 0; i < n; i++) { const r = await fetch(process.argv[2]); await r.text(); if (r.status >= 500) bad++; }\nconsole.log(bad / n);\n');
  const yaml = canaryConfig(stack, ['setWeight: 50', 'analysis: error-rate', 'setWeight: 80'], [
    'analysis:',
    '  error-rate:',
    '    onFailure: rollback',
    '    metrics:',
    '      - name: listener-5xx-share',
    `        command: { run: "${process.execPath} ${script} ${stack.url}" }`,
    '        failureCondition: result > 0.1',
  ].join('\n'));
  const during = watchListener(stack.url);
  const run = await cli(stack, [...deployArgs(stack, 'bad'), '--output', 'json'], yaml);
  const duringRun = await during.stop();
  assert.equal(run.code, 3, show(run));

  const events = eventsOf(run.stdout);
  const types = events.map((e) => e.type);
  assert.ok(types.includes('analysis-finished'), types.join(', '));
  const rollingBack = types.indexOf('rolling-back');
  const reverted = events.findIndex((e, i) => i > rollingBack && e.type === 'weights-changed' && e.stable === 100 && e.confirmed === true);
  const scaledDown = types.indexOf('canary-scaled-down');
  assert.ok(rollingBack > 0 && reverted > rollingBack && scaledDown > reverted, `rolling-back ${rollingBack} < weights 100/0 ${reverted} < scaled down ${scaledDown}`);
  const result = events.at(-1) as JsonEvent & { outcome?: string; reason?: string };
  assert.equal(result.outcome, 'rolled-back');
  assert.match(result.reason ?? '', /analysis error-rate Failed/);

  assert.deepEqual(await ruleWeights(stack), { stable: 100, canary: 0 });
  assert.equal((await describeService(stack, stack.canaryService)).desiredCount, 0);
  assert.match((await describeService(stack, stack.service)).taskDefinition ?? '', new RegExp(`task-definition/${stack.cluster}:1$`));
  // While the canary took traffic its answers were the bad version's 500s; nothing else ever failed (no request met an empty target group).
  assert.deepEqual([...duringRun.keys()].filter((k) => k !== '200 v1').sort(), ['500 bad'], JSON.stringify([...duringRun]));
  const after = watchListener(stack.url);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.deepEqual([...(await after.stop()).keys()], ['200 v1']);
});

for (const action of ['promote', 'abort'] as const) {
  test(`alb canary: ${action} from another terminal while the deploy waits at pause: {}`, async (t) => {
    const stack = await canaryStack(t);
    const yaml = canaryConfig(stack, ['setWeight: 30', 'pause: {}', 'setWeight: 60', 'pause: 200ms']);
    const deploying = cli(stack, deployArgs(stack, 'v2'), yaml);
    await pollUntil('the deploy to wait for promote', 30_000, async () => {
      const status = await cli(stack, ['status', '--output', 'json'], yaml);
      const canary = (JSON.parse(status.stdout) as { canary?: { state: { waiting?: string } } }).canary;
      return canary?.state.waiting === 'promote' ? true : undefined;
    });
    const status = await cli(stack, ['status'], yaml);
    assert.match(status.stdout, new RegExp(`^canary of ${stack.service} on ${stack.canaryService} at step 2/4, weight 30%, waiting for promote\\n`), show(status));
    assert.match(status.stdout, /weights on the load balancer: stable 70 \/ canary 30/);
    assert.match(status.stdout, /an ecs-rollout deploy started by tester@\S+ is running it/);

    const other = await cli(stack, [action], yaml);
    assert.equal(other.code, 0, show(other));
    const deployed = await deploying;
    assert.equal(deployed.code, action === 'abort' ? 6 : 0, show(deployed));
    assert.deepEqual(await ruleWeights(stack), { stable: 100, canary: 0 });
    assert.equal((await describeService(stack, stack.canaryService)).desiredCount, 0);
    const revision = action === 'abort' ? 1 : 2;
    assert.match((await describeService(stack, stack.service)).taskDefinition ?? '', new RegExp(`task-definition/${stack.cluster}:${revision}$`));
    assert.deepEqual([...(await versionsAt(stack.url))], [action === 'abort' ? 'v1' : 'v2']);
  });
}

/**
 * Starts `ecs-rollout deploy` as its own process and kills it with SIGKILL
 * once its output shows `waitingFor`: a CLI that dies with no chance to clean up.
 */
async function deployAndKill(t: { after: (fn: () => Promise<void>) => void }, stack: CanaryTestStack, yaml: string, waitingFor: RegExp): Promise<string> {
  const config = writeConfig(stack, yaml);
  const child = spawn(process.execPath, [BIN, ...deployArgs(stack, 'v2'), '--config', config, '--endpoint-url', stack.endpoint], {
    env: { ...process.env, CI: 'true', USER: 'tester' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');
  await pollUntil(`the deploy to print ${waitingFor}`, 30_000, async () => (waitingFor.test(output) ? true : undefined));
  child.kill('SIGKILL');
  await exited;
  return output;
}

test('alb canary: a deploy killed with SIGKILL mid-canary is explained by status, promoted without it, and resumed by rerunning it (exit 0)', async (t) => {
  const stack = await canaryStack(t);
  const yaml = canaryConfig(stack, ['setWeight: 25', 'pause: {}', 'setWeight: 50', 'pause: 200ms']);
  await deployAndKill(t, stack, yaml, /waiting at step 2\/4 for ecs-rollout promote/);
  assert.deepEqual(await ruleWeights(stack), { stable: 75, canary: 25 }, 'the canary keeps its weight: nobody moves traffic');

  // The killed deploy's heartbeat goes stale after a few seconds; status then says so and what to do.
  const status = await pollUntil('status to see that no deploy runs the canary', 20_000, async () => {
    const run = await cli(stack, ['status'], yaml);
    return /no ecs-rollout deploy has reported since/.test(run.stdout) ? run : undefined;
  });
  assert.match(status.stdout, new RegExp(`^canary of ${stack.service} on ${stack.canaryService} at step 2/4, weight 25%, waiting for promote\\n`), show(status));
  assert.match(status.stdout, /rerun the same deploy to resume from step 2, or run ecs-rollout abort to revert/);

  const promoted = await cli(stack, ['promote'], yaml);
  assert.equal(promoted.code, 0, show(promoted));
  assert.match(promoted.stdout, /recorded promote of step 2\/4, but no ecs-rollout deploy has reported since .*rerun the same deploy to resume from step 2; the resumed deploy passes this step/);

  const resumed = await cli(stack, deployArgs(stack, 'v2'), yaml);
  assert.equal(resumed.code, 0, show(resumed));
  assert.match(resumed.stdout, /resuming the canary started \S+ at step 2\/4, canary weight 25%/);
  assert.match(resumed.stdout, /promoted at step 2 by tester@/);
  assert.doesNotMatch(resumed.stdout, /registered \S+:\d+: container/, 'the resumed deploy registers no new revision');
  assert.match((await describeService(stack, stack.service)).taskDefinition ?? '', new RegExp(`task-definition/${stack.cluster}:2$`));
  assert.deepEqual(await ruleWeights(stack), { stable: 100, canary: 0 });
  assert.equal((await describeService(stack, stack.canaryService)).desiredCount, 0);
  assert.deepEqual([...(await versionsAt(stack.url))], ['v2']);
});

test('alb canary: abort after the deploy was killed reverts it: weights back on stable (confirmed), canary at 0, state cleared', async (t) => {
  const stack = await canaryStack(t);
  const yaml = canaryConfig(stack, ['setWeight: 40', 'pause: {}', 'setWeight: 80']);
  await deployAndKill(t, stack, yaml, /waiting at step 2\/3 for ecs-rollout promote/);
  assert.deepEqual(await ruleWeights(stack), { stable: 60, canary: 40 });

  const aborted = await cli(stack, ['abort'], yaml);
  assert.equal(aborted.code, 0, show(aborted));
  assert.match(aborted.stdout, new RegExp(`^aborted the canary of ${stack.service} on ${stack.canaryService} at step 2/3, weight 40%, waiting for promote: all traffic is back on ${stack.service} \\(stable 100 / canary 0, confirmed on the load balancer\\) and ${stack.canaryService} is scaled to 0`));
  assert.deepEqual(await ruleWeights(stack), { stable: 100, canary: 0 });
  assert.equal((await describeService(stack, stack.canaryService)).desiredCount, 0);
  assert.equal((await tagsOf(stack, stack.canaryService)).has('ecs-rollout:canary'), false);
  assert.equal((await tagsOf(stack, stack.service)).has('ecs-rollout:canary-service'), false);
  assert.deepEqual([...(await versionsAt(stack.url))], ['v1']);

  const status = await cli(stack, ['status'], yaml);
  assert.doesNotMatch(status.stdout, /canary of/);
  const again = await cli(stack, ['abort'], yaml);
  assert.equal(again.code, 2, show(again));
  assert.match(again.stderr, /nothing to abort: .* records no canary of service/);
});

test('alb canary preflight: a dry run changes nothing; a missing canary service or weights not all on stable is exit 2', async (t) => {
  const stack = await canaryStack(t);
  const yaml = canaryConfig(stack, ['setWeight: 20']);
  const dry = await cli(stack, [...deployArgs(stack, 'v2'), '--dry-run'], yaml);
  assert.equal(dry.code, 0, show(dry));
  assert.match(dry.stdout, new RegExp(`dry run: would register a new revision of ${stack.cluster} with container app running \\S+:v2, run it on 1 task of service ${stack.canaryService} and shift listener rule \\S+ through 1 step; nothing was changed`));

  const missing = await cli(stack, deployArgs(stack, 'v2'), yaml.replace(`canaryService: ${stack.canaryService}`, 'canaryService: nope'));
  assert.equal(missing.code, 2, show(missing));
  assert.match(missing.stderr, new RegExp(`error: preflight failed: canary service nope does not exist in cluster ${stack.cluster}; create it beside ${stack.service}`));

  await stack.elbv2.send(new ModifyRuleCommand({ RuleArn: stack.ruleArn, Actions: [forwardTo(stack, 90, 10)] }));
  const shifted = await cli(stack, deployArgs(stack, 'v2'), yaml);
  assert.equal(shifted.code, 2, show(shifted));
  assert.match(shifted.stderr, new RegExp(`already sends 10% to canary target group ${stack.cluster}-canary but service ${stack.canaryService} records no canary; set the weights back to stable 100 / canary 0 first`));

  assert.match((await describeService(stack, stack.service)).taskDefinition ?? '', new RegExp(`task-definition/${stack.cluster}:1$`));
  assert.equal((await describeService(stack, stack.canaryService)).desiredCount, 0);
  assert.deepEqual([...(await tagsOf(stack, stack.canaryService)).keys()], []);
});

test('alb canary on a listener default action: ModifyListener moves the weights; the canary completes (exit 0)', async (t) => {
  const stack = await canaryStack(t);
  await stack.elbv2.send(new ModifyListenerCommand({ ListenerArn: stack.listenerArn, DefaultActions: [forwardTo(stack, 100, 0)] }));
  await stack.elbv2.send(new DeleteRuleCommand({ RuleArn: stack.ruleArn }));
  const yaml = canaryConfig(stack, ['setWeight: 50', 'pause: 300ms']).replace(`listenerRule: ${stack.ruleArn}`, `listener: ${stack.listenerArn}`);
  const run = await cli(stack, [...deployArgs(stack, 'v2'), '--output', 'json'], yaml);
  assert.equal(run.code, 0, show(run));
  assert.deepEqual(eventsOf(run.stdout).filter((e) => e.type === 'weights-changed').map((e) => `${e.stable}/${e.canary}`), ['50/50', '100/0']);
  assert.deepEqual([...(await versionsAt(stack.url))], ['v2']);
});

function forwardTo(stack: CanaryTestStack, stable: number, canary: number) {
  return {
    Type: 'forward' as const,
    ForwardConfig: { TargetGroups: [{ TargetGroupArn: stack.stableTargetGroupArn, Weight: stable }, { TargetGroupArn: stack.canaryTargetGroupArn, Weight: canary }] },
  };
}

const KILL_POINTS: Array<[string, RegExp]> = [
  ['while the canary service scales up', /canary service \S+ takes \S+ on \d+ tasks?/],
  ['during the first timed pause', /pausing \S+, until/],
  ['right after the second weight change', /weights: stable 50 \/ canary 50 \(confirmed on the load balancer\)/],
];

for (const [where, killAt] of KILL_POINTS) {
  test(`alb canary killed with SIGKILL ${where}: no traffic goes to a canary without healthy targets, and deploy --resume finishes it (exit 0)`, async (t) => {
    const stack = await canaryStack(t);
    const yaml = canaryConfig(stack, ['setWeight: 25', 'pause: 30s', 'setWeight: 50', 'pause: 30s']);
    await deployAndKill(t, stack, yaml, killAt);
    const weights = await ruleWeights(stack);
    if (weights.canary > 0) {
      const health = await stack.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: stack.canaryTargetGroupArn }));
      assert.ok((health.TargetHealthDescriptions ?? []).some((d) => d.TargetHealth?.State === 'healthy'), `canary weight ${weights.canary} with a healthy canary target`);
    }
    const resumed = await cli(stack, ['deploy', '--resume'], yaml);
    assert.equal(resumed.code, 0, show(resumed));
    assert.deepEqual(await ruleWeights(stack), { stable: 100, canary: 0 });
    assert.match((await describeService(stack, stack.service)).taskDefinition ?? '', new RegExp(`task-definition/${stack.cluster}:2$`));
    assert.deepEqual([...(await versionsAt(stack.url))], ['v2']);
  });
}
