import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CreateDeploymentCommand, ListDeploymentConfigsCommand, ListDeploymentsCommand, UpdateDeploymentGroupCommand } from '@aws-sdk/client-codedeploy';
import { ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { runCli, type CliRun } from '../../examples/lib/sample-stack.js';
import { idleAlarm } from '../support/alarms.js';
import { uniqueName } from '../support/clients.js';
import { appSpec, codeDeployStack, productionWeights, type GroupOptions, type Stack } from '../emulator/codedeploy-stack.js';
import { versionAt } from '../emulator/ecs-blue-green-stack.js';
import { show, spawnCli, until, versionsAt, watchOutput } from './native-cli.js';

/**
 * `ecs-rollout deploy` on a CODE_DEPLOY service, through the CLI against the
 * emulator: the tool creates the CodeDeploy deployment, follows it lifecycle
 * event by lifecycle event, runs its gates while the deployment waits with
 * test traffic on the new tasks, and ends with the usual exit codes.
 */

type T = Parameters<typeof codeDeployStack>[0];

/** The CLI against the stack's emulator, with `yaml` as its settings file (and any other files beside it). */
async function cli(t: T, stack: Stack, argv: string[], yaml = '', files: Record<string, string> = {}, echo?: NodeJS.WritableStream): Promise<CliRun> {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-rollout-codedeploy-'));
  t.after(async () => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text.replaceAll('$DIR', dir));
  const config = join(dir, 'ecs-rollout.yaml');
  writeFileSync(config, yaml.replaceAll('$DIR', dir));
  return runCli([...argv, '--config', config, '--endpoint-url', stack.emulator.url], { CI: 'true' }, echo);
}

const target = (stack: Stack) => ['--cluster', stack.name, '--service', stack.name];
const deployV2 = (stack: Stack, ...more: string[]) => ['deploy', ...target(stack), '--tag', 'v2', ...more];
type JsonEvent = { type: string; lifecycleEvent?: string; status?: string; taskSets?: Array<{ label: string; trafficWeight: number }>; wait?: string; deploymentConfig?: string };
const eventsOf = (run: CliRun): JsonEvent[] => run.stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((line) => JSON.parse(line) as JsonEvent);
/** Every production weight green had, in the order the deploy reported them. */
const greenWeights = (events: JsonEvent[]): number[] =>
  events.filter((e) => e.type === 'codedeploy-traffic').map((e) => e.taskSets?.find((ts) => ts.label === 'Green')?.trafficWeight ?? -1)
    .filter((w, i, all) => i === 0 || w !== all[i - 1]);

async function stack(t: T, group: GroupOptions = {}): Promise<Stack> {
  const s = await codeDeployStack(t, group);
  assert.deepEqual([...(await versionsAt(s.url, 4))], ['v1']);
  return s;
}

test('all at once: deploy creates the CodeDeploy deployment, follows its lifecycle events, exits 0 with production on v2; the original waits out the termination wait', async (t) => {
  const s = await stack(t, { terminationWaitMinutes: 1 });
  const run = await cli(t, s, [...deployV2(s, '--strategy', 'blue-green'), '--output', 'json']);
  assert.equal(run.code, 0, show(run));
  const events = eventsOf(run);
  const lifecycle = events.filter((e) => e.type === 'codedeploy-lifecycle' && e.status === 'Succeeded').map((e) => e.lifecycleEvent);
  assert.deepEqual(lifecycle, ['BeforeInstall', 'Install', 'AfterInstall', 'AllowTestTraffic', 'AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic']);
  assert.deepEqual(greenWeights(events).at(-1), 100);
  assert.ok(events.some((e) => e.type === 'codedeploy-waiting' && e.wait === 'termination'), 'the deploy says the original is kept for the termination wait');
  assert.deepEqual([...(await versionsAt(s.url, 10))], ['v2']);
  // One emulated minute is 1.2 s here: right after the deploy the original task set still runs; then CodeDeploy terminates it.
  assert.equal((await s.taskSets()).length, 2, 'the original task set is kept through the termination wait');
  await until('the original task set to go after the wait', async () => ((await s.taskSets()).length === 1 ? true : undefined), 20_000);
});

test('canary: --strategy canary creates a TimeBasedCanary configuration from the file and holds production at its percentage for the interval', async (t) => {
  const s = await stack(t);
  const run = await cli(t, s, [...deployV2(s, '--strategy', 'canary'), '--output', 'json'], 'strategy:\n  canary:\n    percent: 20\n    bake: 1m\n');
  assert.equal(run.code, 0, show(run));
  const events = eventsOf(run);
  assert.ok(events.some((e) => e.type === 'codedeploy-config-created' && e.deploymentConfig === 'EcsRollout.Canary20Percent1Minutes'), show(run));
  assert.deepEqual(greenWeights(events).filter((w) => w > 0), [20, 100]);
  assert.deepEqual([...(await versionsAt(s.url, 10))], ['v2']);
  // A second canary with the same settings reuses the configuration.
  const again = await cli(t, s, ['deploy', ...target(s), '--tag', 'v1', '--strategy', 'canary', '--output', 'json'], 'strategy:\n  canary:\n    percent: 20\n    bake: 1m\n');
  assert.equal(again.code, 0, show(again));
  assert.ok(!eventsOf(again).some((e) => e.type === 'codedeploy-config-created'));
});

test('linear: --strategy linear shifts production in steps of the file\'s percentage', async (t) => {
  const s = await stack(t);
  const run = await cli(t, s, [...deployV2(s, '--strategy', 'linear'), '--output', 'json'], 'strategy:\n  linear:\n    stepPercent: 34\n    stepBake: 1m\n');
  assert.equal(run.code, 0, show(run));
  assert.deepEqual(greenWeights(eventsOf(run)).filter((w) => w > 0), [34, 68, 100]);
  assert.deepEqual([...(await versionsAt(s.url, 10))], ['v2']);
});

test('a failing lifecycle hook from the user\'s AppSpec file: CodeDeploy rolls back, exit 3, production never left v1', async (t) => {
  const s = await stack(t);
  const made = await runCli(['emulator', 'lambda', uniqueName('failing-hook'), '--endpoint-url', s.emulator.url, '--', process.execPath, '-e', 'process.exit(1)'], {});
  assert.equal(made.code, 0, made.stderr);
  const appSpec = [
    'version: 0.0',
    'Resources:',
    '  - TargetService:',
    '      Type: AWS::ECS::Service',
    '      Properties:',
    '        TaskDefinition: "<TASK_DEFINITION>"',
    'Hooks:',
    `  - BeforeAllowTraffic: "${made.stdout.trim()}"`,
  ].join('\n');
  const seen = new Set<string>();
  let done = false;
  const watching = (async () => {
    for (let i = 0; i < 400; i += 1) {
      seen.add(await versionAt(s.url));
      if (done) return;
    }
  })();
  const run = await cli(t, s, deployV2(s), 'strategy:\n  codeDeploy:\n    appSpec: $DIR/appspec.yaml\n', { 'appspec.yaml': appSpec });
  done = true;
  await watching;
  assert.equal(run.code, 3, show(run));
  assert.match(run.stdout, /lifecycle event BeforeAllowTraffic: Failed/);
  assert.match(run.stdout, /rolled back/);
  assert.deepEqual([...seen], ['v1'], 'production served only v1');
  assert.deepEqual([...(await productionWeights(s)).values()].filter((w) => w > 0), [100]);
});

test('gates run while CodeDeploy waits with test traffic on v2: passing continues the deployment (exit 0); failing stops it with rollback (exit 3), production untouched', async (t) => {
  const s = await stack(t, { readyWaitMinutes: 60 });
  const gate = (expect: number) => `strategy:\n  gates:\n    - stage: POST_TEST_TRAFFIC_SHIFT\n      name: test-listener\n      http:\n        url: ${s.testUrl}\n        expectStatus: ${expect}\n`;
  const passing = await cli(t, s, deployV2(s), gate(200));
  assert.equal(passing.code, 0, show(passing));
  assert.match(passing.stdout, /gate test-listener passed/);
  assert.match(passing.stdout, /continued the deployment/);
  assert.deepEqual([...(await versionsAt(s.url, 10))], ['v2']);

  const failing = await cli(t, s, ['deploy', ...target(s), '--tag', 'v1'], gate(418));
  assert.equal(failing.code, 3, show(failing));
  assert.match(failing.stdout, /gate test-listener FAILED/);
  assert.deepEqual([...(await versionsAt(s.url, 10))], ['v2'], 'production stayed on what it ran');
});

test('abort while CodeDeploy waits for promote: stopped with rollback, exit 6; promote continues the next one to exit 0', async (t) => {
  const s = await stack(t, { readyWaitMinutes: 60 });
  const live = watchOutput();
  const deploying = cli(t, s, deployV2(s), '', {}, live.stream);
  await until('the deploy to wait for promote', async () => (/waits for ecs-rollout promote or abort/.test(live.text()) ? true : undefined), 20_000)
    .catch((err: Error) => { throw new Error(`${err.message}\n${live.text()}`); });
  assert.deepEqual([...(await versionsAt(s.testUrl, 4))], ['v2'], 'test traffic is on v2');
  assert.deepEqual([...(await versionsAt(s.url, 4))], ['v1'], 'production waits on v1');
  const status = await cli(t, s, ['status', ...target(s)]);
  assert.equal(status.code, 0, show(status));
  assert.match(status.stdout, new RegExp(`CodeDeploy ${s.application}/${s.name}: deployment d-[A-Z0-9]{9} Ready of ${s.name}:\\d+`));
  assert.match(status.stdout, /lifecycle: .*AllowTestTraffic Succeeded.*BeforeAllowTraffic Pending/);
  assert.match(status.stdout, /green \(replacement\) 2\/2 running, prod 0%/);
  assert.match(status.stdout, /waiting with test traffic on the new tasks: run ecs-rollout promote/);
  const aborted = await cli(t, s, ['abort', ...target(s)]);
  assert.equal(aborted.code, 0, show(aborted));
  const run = await deploying;
  assert.equal(run.code, 6, show(run));
  assert.deepEqual([...(await versionsAt(s.url, 10))], ['v1']);

  const live2 = watchOutput();
  const second = cli(t, s, deployV2(s), '', {}, live2.stream);
  await until('the second deploy to wait for promote', async () => (/waits for ecs-rollout promote or abort/.test(live2.text()) ? true : undefined), 20_000)
    .catch((err: Error) => { throw new Error(`${err.message}\n${live2.text()}`); });
  const promoted = await cli(t, s, ['promote', ...target(s)]);
  assert.equal(promoted.code, 0, show(promoted));
  assert.equal((await second).code, 0, live2.text());
  assert.deepEqual([...(await versionsAt(s.url, 10))], ['v2']);
  const listed = await s.codedeploy.send(new ListDeploymentsCommand({ applicationName: s.application, deploymentGroupName: s.name }));
  assert.ok((listed.deployments ?? []).length >= 2);
});

test('bad input on a CODE_DEPLOY service: named and refused before anything changes (exit 2)', async (t) => {
  const s = await stack(t);
  const rolling = await cli(t, s, deployV2(s, '--strategy', 'rolling'));
  assert.equal(rolling.code, 2, show(rolling));
  assert.match(rolling.stderr, /CODE_DEPLOY deployment controller cannot do a rolling update/);
  const gated = await cli(t, s, deployV2(s), `strategy:\n  gates:\n    - stage: POST_TEST_TRAFFIC_SHIFT\n      name: smoke\n      command:\n        run: "true"\n`);
  assert.equal(gated.code, 2, show(gated));
  assert.match(gated.stderr, /deploymentReadyOption CONTINUE_DEPLOYMENT.*STOP_DEPLOYMENT/);
  const wrongGroup = await cli(t, s, deployV2(s), 'strategy:\n  codeDeploy:\n    application: nope\n    deploymentGroup: nope\n');
  assert.equal(wrongGroup.code, 2, show(wrongGroup));
  assert.match(wrongGroup.stderr, /deployment group nope of application nope does not exist/);
  const count = await cli(t, s, [...deployV2(s), '--desired-count', '3']);
  assert.equal(count.code, 2, show(count));
  assert.match(count.stderr, /--desired-count .* change it with ecs-rollout scale/);
  const hundred = await cli(t, s, deployV2(s, '--strategy', 'canary'), 'strategy:\n  canary:\n    percent: 100\n');
  assert.equal(hundred.code, 2, show(hundred));
  assert.match(hundred.stderr, /strategy\.canary\.percent: CodeDeploy shifts 1 to 99 percent/);
  const serverConfig = await cli(t, s, deployV2(s), 'strategy:\n  codeDeploy:\n    deploymentConfig: CodeDeployDefault.AllAtOnce\n');
  assert.equal(serverConfig.code, 2, show(serverConfig));
  assert.match(serverConfig.stderr, /deployment configuration CodeDeployDefault\.AllAtOnce does not exist; check strategy\.codeDeploy\.deploymentConfig/);
  const missingFile = await cli(t, s, deployV2(s), 'strategy:\n  codeDeploy:\n    appSpec: $DIR/missing.yaml\n');
  assert.equal(missingFile.code, 2, show(missingFile));
  assert.match(missingFile.stderr, /strategy.codeDeploy.appSpec: cannot read/);
  const verifyGated = await cli(t, s, ['verify', ...target(s), '--tag', 'v2'], `strategy:\n  gates:\n    - stage: POST_TEST_TRAFFIC_SHIFT\n      name: smoke\n      command:\n        run: "true"\n`);
  assert.equal(verifyGated.code, 2, show(verifyGated));
  assert.match(verifyGated.stdout + verifyGated.stderr, /deployment group .* reroutes production traffic without waiting/);
  const verified = await cli(t, s, ['verify', ...target(s), '--tag', 'v2', '--strategy', 'canary']);
  assert.equal(verified.code, 0, show(verified));
  assert.match(verified.stdout, /preflight ok: CodeDeploy deployment group .* deploys service/);
  assert.match(verified.stdout, /planned: CodeDeploy .* with EcsRollout\.Canary5Percent10Minutes \(canary 5% for 10m, then 100%\)/);
  const dryRun = await cli(t, s, [...deployV2(s), '--dry-run']);
  assert.equal(dryRun.code, 0, show(dryRun));
  assert.match(dryRun.stdout, /dry run: would register a new revision/);
  const listed = await s.codedeploy.send(new ListDeploymentsCommand({ applicationName: s.application, deploymentGroupName: s.name }));
  assert.deepEqual(listed.deployments ?? [], [], 'no deployment was created');
  const revisions = await s.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: s.name }));
  assert.equal((revisions.taskDefinitionArns ?? []).length, 2, 'no revision registered beyond the stack\'s v1 and v2');
  const configs = await s.codedeploy.send(new ListDeploymentConfigsCommand({}));
  assert.ok(!(configs.deploymentConfigsList ?? []).some((c) => c.startsWith('EcsRollout.')), 'no deployment configuration created');
  assert.deepEqual([...(await versionsAt(s.url, 4))], ['v1']);
});

test('a deployment in progress that the tool did not start (console, pipeline): deploy refuses before any change (exit 2) and names --resume and abort', async (t) => {
  const s = await stack(t, { readyWaitMinutes: 60 });
  const started = await s.codedeploy.send(new CreateDeploymentCommand({
    applicationName: s.application, deploymentGroupName: s.name,
    revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpec(s.td2) } },
  }));
  const refused = await cli(t, s, deployV2(s));
  assert.equal(refused.code, 2, show(refused));
  assert.match(refused.stderr, new RegExp(`already has deployment ${started.deploymentId ?? '-'} .*ecs-rollout deploy --resume.*ecs-rollout abort`));
  const revisions = await s.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: s.name }));
  assert.equal((revisions.taskDefinitionArns ?? []).length, 2, 'nothing registered');
});

test('history lists the CodeDeploy deployments; rollback deploys the last revision that completed again, through CodeDeploy', async (t) => {
  const s = await stack(t);
  assert.equal((await cli(t, s, deployV2(s))).code, 0);
  assert.equal((await cli(t, s, ['deploy', ...target(s), '--tag', 'v1'])).code, 0);
  assert.deepEqual([...(await versionsAt(s.url, 4))], ['v1']);
  const history = await cli(t, s, ['history', ...target(s), '--output', 'json']);
  assert.equal(history.code, 0, show(history));
  const entries = (JSON.parse(history.stdout) as { deployments: Array<{ status: string; outcome: string; image?: string; strategy?: string }> }).deployments;
  assert.deepEqual(entries.map((e) => [e.outcome, e.image?.split(':').pop()]), [['succeeded', 'v1'], ['succeeded', 'v2']]);
  assert.match(entries[0]?.strategy ?? '', /^CodeDeploy /);
  const back = await cli(t, s, ['rollback', ...target(s), '--output', 'json']);
  assert.equal(back.code, 0, show(back));
  assert.ok(eventsOf(back).some((e) => e.type === 'codedeploy-created'), 'the rollback went through CodeDeploy');
  assert.deepEqual([...(await versionsAt(s.url, 10))], ['v2']);
});

test('deploy --resume picks up a CodeDeploy deployment a deploy stopped watching, runs the gates at the ready wait, and continues it (exit 0)', async (t) => {
  const s = await stack(t, { readyWaitMinutes: 60 });
  const first = await cli(t, s, [...deployV2(s), '--timeout', '3s']);
  assert.equal(first.code, 5, show(first));
  assert.deepEqual([...(await versionsAt(s.url, 4))], ['v1'], 'production waits on v1');
  const gate = `strategy:\n  gates:\n    - stage: PRE_PRODUCTION_TRAFFIC_SHIFT\n      name: test-listener\n      http:\n        url: ${s.testUrl}\n`;
  const resumed = await cli(t, s, ['deploy', ...target(s), '--resume'], gate);
  assert.equal(resumed.code, 0, show(resumed));
  assert.match(resumed.stdout, /resuming CodeDeploy deployment d-/);
  assert.match(resumed.stdout, /gate test-listener passed/);
  assert.deepEqual([...(await versionsAt(s.url, 10))], ['v2']);
});

test('SIGTERM while CodeDeploy waits with test traffic on v2 (a cancelled CI job): StopDeployment with rollback, exit 6, production on v1', async (t) => {
  const s = await stack(t, { readyWaitMinutes: 60 });
  const dir = mkdtempSync(join(tmpdir(), 'ecs-rollout-codedeploy-cancel-'));
  t.after(async () => rmSync(dir, { recursive: true, force: true }));
  const { child, output: seen, exited } = spawnCli(t, [...deployV2(s), '--endpoint-url', s.emulator.url], dir);
  await until('the deploy to wait for promote', async () => (/waits for ecs-rollout promote or abort/.test(seen()) ? true : undefined), 30_000)
    .catch((err: Error) => { throw new Error(`${err.message}\n${seen()}`); });
  child.kill('SIGTERM');
  const code = await exited;
  const output = seen();
  assert.equal(code, 6, output);
  assert.match(output, /SIGTERM: stopped CodeDeploy deployment d-[A-Z0-9]{9} \(was Ready\) with rollback/);
  assert.deepEqual([...(await versionsAt(s.url, 10))], ['v1']);
  const listed = await s.codedeploy.send(new ListDeploymentsCommand({ applicationName: s.application, deploymentGroupName: s.name, includeOnlyStatuses: ['Stopped'] }));
  assert.equal((listed.deployments ?? []).length, 1, 'the deployment was stopped');
});

test('a group alarm already in ALARM: deploy stops before any change (exit 2); preexistingAlarm: proceed and rollback go past it, each deployment created without that alarm (exit 0)', async (t) => {
  const s = await stack(t);
  assert.equal((await cli(t, s, deployV2(s))).code, 0);
  assert.equal((await cli(t, s, ['deploy', ...target(s), '--tag', 'v1'])).code, 0);
  const alarm = await idleAlarm(t, s.emulator.url);
  await s.codedeploy.send(new UpdateDeploymentGroupCommand({
    applicationName: s.application, currentDeploymentGroupName: s.name, alarmConfiguration: { enabled: true, alarms: [{ name: alarm.name }] },
  }));
  await alarm.fire('5xx above threshold');
  const stopped = await cli(t, s, deployV2(s));
  assert.equal(stopped.code, 2, show(stopped));
  assert.match(stopped.stdout + stopped.stderr, new RegExp(`${alarm.name}.*already in ALARM`));
  const proceeding = await cli(t, s, deployV2(s), 'strategy:\n  alarms:\n    preexistingAlarm: proceed\n');
  assert.equal(proceeding.code, 0, show(proceeding));
  assert.match(proceeding.stdout, new RegExp(`it does not watch ${alarm.name} \\(in ALARM before the deploy`));
  assert.deepEqual([...(await versionsAt(s.url, 10))], ['v2']);
  const back = await cli(t, s, ['rollback', ...target(s)]);
  assert.equal(back.code, 0, show(back));
  assert.match(back.stdout, new RegExp(`it does not watch ${alarm.name} \\(in ALARM before the deploy`));
  assert.deepEqual([...(await versionsAt(s.url, 10))], ['v1']);
});

/** A deploy running in the background whose output can be waited on. */
function background(t: T, s: Stack, argv: string[], yaml = ''): { run: Promise<CliRun>; sees: (what: RegExp, ms?: number) => Promise<void> } {
  const live = watchOutput();
  const run = cli(t, s, argv, yaml, {}, live.stream);
  const sees = async (what: RegExp, ms = 20_000): Promise<void> => {
    await until(`the deploy to show ${what}`, async () => (what.test(live.text()) ? true : undefined), ms)
      .catch((err: Error) => { throw new Error(`${err.message}\n${live.text()}`); });
  };
  return { run, sees };
}

test('waitForTermination: the deploy follows through the termination wait; promote ends it at once (exit 0), the original task set gone', async (t) => {
  const s = await stack(t, { terminationWaitMinutes: 60 });
  const deploying = background(t, s, deployV2(s), 'strategy:\n  codeDeploy:\n    waitForTermination: true\n');
  await deploying.sees(/CodeDeploy keeps the original until its termination wait ends/);
  assert.equal((await s.taskSets()).length, 2, 'the original waits');
  const promoted = await cli(t, s, ['promote', ...target(s)]);
  assert.equal(promoted.code, 0, show(promoted));
  assert.match(promoted.stdout, /ended the termination wait of CodeDeploy deployment d-[A-Z0-9]{9}/);
  const run = await deploying.run;
  assert.equal(run.code, 0, show(run));
  await until('the original task set to go', async () => ((await s.taskSets()).length === 1 ? true : undefined));
  assert.deepEqual([...(await versionsAt(s.url, 10))], ['v2']);
});

test('promote during a canary interval changes nothing (exit 2, CodeDeploy cannot skip it); rollback while it runs stops it with rollback (exit 0), the deploy ends aborted (exit 6)', async (t) => {
  const s = await stack(t, { config: 'CodeDeployDefault.ECSCanary10Percent15Minutes' });
  const deploying = background(t, s, [...deployV2(s), '--output', 'json']);
  await deploying.sees(/"trafficWeight":10\b/);
  const promoted = await cli(t, s, ['promote', ...target(s)]);
  assert.equal(promoted.code, 2, show(promoted));
  assert.match(promoted.stderr, /CodeDeploy has no API to skip a canary or linear interval; nothing was changed/);
  const back = await cli(t, s, ['rollback', ...target(s)]);
  assert.equal(back.code, 0, show(back));
  assert.match(back.stdout, /stopped and rolled back \(rollback deployment d-[A-Z0-9]{9} succeeded\)/);
  assert.equal((await deploying.run).code, 6);
  assert.deepEqual([...(await versionsAt(s.url, 10))], ['v1']);
});

test('nobody promotes within the ready wait: CodeDeploy stops the deployment and rolls back; the deploy exits 3 with production on v1', async (t) => {
  const s = await stack(t, { readyWaitMinutes: 1 });
  const slowGate = 'strategy:\n  gates:\n    - stage: POST_TEST_TRAFFIC_SHIFT\n      name: slow\n      command: { run: "true", timeout: 30s, retries: 2, interval: 1m }\n';
  const verified = await cli(t, s, ['verify', ...target(s), '--tag', 'v2'], slowGate);
  assert.equal(verified.code, 0, show(verified));
  assert.match(verified.stdout, /the gates can take up to 4m but the group waits 1m: CodeDeploy may stop the deployment before they finish/);
  const run = await cli(t, s, deployV2(s));
  assert.equal(run.code, 3, show(run));
  assert.match(run.stdout, /waits for ecs-rollout promote or abort/);
  assert.deepEqual([...(await versionsAt(s.url, 10))], ['v1']);
});
