import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeploymentInfo, DeploymentStatus, DeploymentWaitType, ECSTarget } from '@aws-sdk/client-codedeploy';
import { followCodeDeployDeployment, type CodeDeployFollow } from '../../src/engine/codedeploy/follow.js';
import { ONGOING_DEPLOYMENT_STATUSES } from '../../src/engine/codedeploy/observation.js';
import { ongoingDeployments, ROLLBACK_ID_LOOKS } from '../../src/engine/codedeploy/ongoing.js';
import { stopCodeDeployAndFollow } from '../../src/engine/codedeploy/stop.js';
import type { EventBody } from '../../src/engine/events.js';
import type { HistoryEntry } from '../../src/engine/history.js';
import type { CodeDeployPort } from '../../src/engine/ports.js';
import { RolloutError } from '../../src/spec/errors.js';
import type { Gate } from '../../src/spec/strategy.js';
import { FakeGateChecks, fakeClock, fakePorts, REPO_URI, T0, TD_ARN } from './engine-fakes.js';

/**
 * The CodeDeploy follower against CodeDeploy in memory, for what the
 * emulator cannot show: its rollback deployments end at once, so a rollback
 * still running, failing or outliving the timeout, and a rollback id that
 * appears a look late, are played here from scripts.
 */

const RELEASE = 'd-RELEASE01';
const ROLLBACK = 'd-ROLLBACK1';
const TARGET_ID = 'prod:web';
const POLL_MS = 1000;
const HEALTH_FAILED = 'The deployment failed because a specified number of ECS tasks were unable to reach a healthy state.';

type CodeDeployWrite =
  | { op: 'continueDeployment'; deploymentId: string; wait: DeploymentWaitType }
  | { op: 'stopDeployment'; deploymentId: string; rollback: boolean };

/** An error as the SDK throws it: AWS's exception name in `name`. */
function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

/**
 * CodeDeploy as a script: GetDeployment and GetDeploymentTarget answer each
 * deployment's looks in turn, one per read; the last look stays. Records
 * every read and write; onStop / onContinue let a test play CodeDeploy's answer.
 */
class FakeCodeDeploy implements CodeDeployPort {
  readonly writes: CodeDeployWrite[] = [];
  /** Deployment ids in the order GetDeployment read them. */
  readonly reads: string[] = [];
  readonly targetReads: Array<{ deploymentId: string; targetId: string }> = [];
  readonly listCalls: Array<{ application: string; group: string; statuses: readonly DeploymentStatus[] | undefined }> = [];
  /** What ListDeployments answers. */
  listed: string[] = [];
  /** Thrown by StopDeployment after it is recorded. */
  stopError: Error | undefined;
  onStop: ((fake: FakeCodeDeploy) => void) | undefined;
  onContinue: ((fake: FakeCodeDeploy) => void) | undefined;
  private readonly looks = new Map<string, DeploymentInfo[]>();
  private readonly targets = new Map<string, ECSTarget[]>();

  /** What GetDeployment shows of `id`, look by look from now on. */
  script(id: string, looks: DeploymentInfo[]): void {
    this.looks.set(id, [...looks]);
  }

  /** What GetDeploymentTarget shows of `id`'s ECS target, look by look; without one, an InProgress target. */
  scriptTarget(id: string, looks: ECSTarget[]): void {
    this.targets.set(id, [...looks]);
  }

  readsOf(id: string): number {
    return this.reads.filter((r) => r === id).length;
  }

  async readDeployment(deploymentId: string): Promise<DeploymentInfo> {
    this.reads.push(deploymentId);
    const queue = this.looks.get(deploymentId);
    const look = queue && queue.length > 1 ? queue.shift() : queue?.[0];
    if (!look) throw awsError('DeploymentDoesNotExistException', `The deployment ${deploymentId} could not be found.`);
    return structuredClone(look);
  }

  async readTarget(deploymentId: string, targetId: string): Promise<ECSTarget | undefined> {
    this.targetReads.push({ deploymentId, targetId });
    const queue = this.targets.get(deploymentId);
    const look = queue && queue.length > 1 ? queue.shift() : queue?.[0];
    return structuredClone(look ?? target('InProgress'));
  }

  async listDeployments(application: string, group: string, statuses: readonly DeploymentStatus[] | undefined): Promise<string[]> {
    this.listCalls.push({ application, group, statuses });
    return [...this.listed];
  }

  async continueDeployment(deploymentId: string, wait: DeploymentWaitType): Promise<void> {
    this.writes.push({ op: 'continueDeployment', deploymentId, wait });
    this.onContinue?.(this);
  }

  async stopDeployment(deploymentId: string, rollback: boolean): Promise<void> {
    this.writes.push({ op: 'stopDeployment', deploymentId, rollback });
    if (this.stopError) throw this.stopError;
    this.onStop?.(this);
  }

  async readGroup(): Promise<never> {
    throw new Error('FakeCodeDeploy does not play readGroup');
  }

  async findGroupsOf(): Promise<never> {
    throw new Error('FakeCodeDeploy does not play findGroupsOf');
  }

  async readConfig(): Promise<never> {
    throw new Error('FakeCodeDeploy does not play readConfig');
  }

  async createConfig(): Promise<never> {
    throw new Error('FakeCodeDeploy does not play createConfig');
  }

  async createDeployment(): Promise<never> {
    throw new Error('FakeCodeDeploy does not play createDeployment');
  }
}

/** One GetDeployment answer; the group rolls back on failure and on a stop unless `fields` say otherwise. */
function look(deploymentId: string, status: DeploymentStatus, fields: Partial<DeploymentInfo> = {}): DeploymentInfo {
  return {
    deploymentId,
    applicationName: 'web-app',
    deploymentGroupName: 'web-dg',
    status,
    creator: 'user',
    createTime: new Date(T0),
    autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST'] },
    instanceTerminationWaitTimeStarted: false,
    ...fields,
  };
}

/** The release ended Failed; `rolledBackBy` names CodeDeploy's rollback deployment when it has made one. */
function failed(rolledBackBy?: string, fields: Partial<DeploymentInfo> = {}): DeploymentInfo {
  return look(RELEASE, 'Failed', {
    errorInformation: { code: 'ECS_UPDATE_ERROR', message: HEALTH_FAILED },
    ...(rolledBackBy ? { rollbackInfo: { rollbackDeploymentId: rolledBackBy, rollbackMessage: `Deployment ${RELEASE} has been rolled back by ${rolledBackBy}` } } : {}),
    ...fields,
  });
}

/** The release Stopped by a StopDeployment; `rolledBackBy` as in failed(). */
function stopped(rolledBackBy?: string): DeploymentInfo {
  return look(RELEASE, 'Stopped', {
    errorInformation: { code: 'MANUAL_STOP', message: 'The deployment was manually stopped.' },
    ...(rolledBackBy ? { rollbackInfo: { rollbackDeploymentId: rolledBackBy } } : {}),
  });
}

/** CodeDeploy's own rollback deployment of the release. */
function rollbackLook(status: DeploymentStatus, fields: Partial<DeploymentInfo> = {}): DeploymentInfo {
  return look(ROLLBACK, status, { creator: 'codeDeployRollback', rollbackInfo: { rollbackTriggeringDeploymentId: RELEASE }, createTime: new Date(T0 + 60_000), ...fields });
}

function target(status: string, fields: Partial<ECSTarget> = {}): ECSTarget {
  return { deploymentId: RELEASE, targetId: TARGET_ID, status: status as ECSTarget['status'], lifecycleEvents: [], ...fields };
}

/** Test traffic reached green at T0+3s: the ready wait counts from the end of AfterAllowTestTraffic. */
const TEST_TRAFFIC_ON_GREEN: ECSTarget['lifecycleEvents'] = [
  { lifecycleEventName: 'AllowTestTraffic', status: 'Succeeded', endTime: new Date(T0 + 2000) },
  { lifecycleEventName: 'AfterAllowTestTraffic', status: 'Succeeded', endTime: new Date(T0 + 3000) },
];

const SMOKE: Gate = {
  stage: 'POST_TEST_TRAFFIC_SHIFT',
  name: 'smoke',
  check: { kind: 'http', url: 'http://127.0.0.1:9/health', expectStatus: 200, timeoutMs: 1000, retries: 0, intervalMs: 1000 },
};

/** Follows RELEASE with a fake clock; `checks` answers the gates' attempts. */
async function follow(codeDeploy: FakeCodeDeploy, fields: Partial<CodeDeployFollow> = {}, checks = new FakeGateChecks()) {
  const clock = fakeClock();
  const events: EventBody[] = [];
  const ports = { ...fakePorts(undefined, undefined, checks), codeDeploy };
  const report = await followCodeDeployDeployment({
    ports,
    clock,
    signal: undefined,
    emit: (e) => events.push(e),
    cluster: 'prod',
    service: 'web',
    pollIntervalMs: POLL_MS,
    deadline: T0 + 600_000,
    since: T0,
    knownEventIds: new Set(['old-event']),
    serviceDeploymentArn: undefined,
    codeDeploy,
    deploymentId: RELEASE,
    gates: [],
    analysis: undefined,
    readyWaitMinutes: 30,
    testListener: undefined,
    waitForTermination: false,
    awsClock: clock,
    ...fields,
  });
  return { report, events, types: events.map((e) => e.type), clock, checks };
}

/** The events of one type, narrowed. */
function eventsOf<T extends EventBody['type']>(events: readonly EventBody[], type: T): Array<Extract<EventBody, { type: T }>> {
  return events.filter((e): e is Extract<EventBody, { type: T }> => e.type === type);
}

const END_TYPES = new Set(['deployment-completed', 'deployment-failed', 'deployment-rolled-back', 'deployment-aborted']);
const endEvents = (events: readonly EventBody[]): EventBody[] => events.filter((e) => END_TYPES.has(e.type));

// ---------------------------------------------------------------- follow.ts: CodeDeploy's rollback deployment

test('follow: a failed deployment is followed through its rollback deployment; rolled back once that one succeeds', async () => {
  const cd = new FakeCodeDeploy();
  cd.script(RELEASE, [look(RELEASE, 'InProgress'), failed(ROLLBACK)]);
  cd.script(ROLLBACK, [rollbackLook('InProgress'), rollbackLook('InProgress'), rollbackLook('InProgress'), rollbackLook('Succeeded')]);
  const { report, events, clock } = await follow(cd);

  assert.equal(report.end.kind, 'rolled-back');
  assert.ok(report.end.kind === 'rolled-back');
  assert.equal(report.end.reason, HEALTH_FAILED);
  assert.equal(report.rollbackDeploymentId, ROLLBACK);
  assert.deepEqual(cd.reads, [RELEASE, RELEASE, ROLLBACK, ROLLBACK, ROLLBACK, ROLLBACK]);
  assert.deepEqual(clock.sleeps, [POLL_MS, POLL_MS, POLL_MS, POLL_MS], 'one poll of the release, three of the running rollback');
  assert.deepEqual(endEvents(events), [{ type: 'deployment-rolled-back', deploymentId: RELEASE, rollbackDeploymentId: ROLLBACK, reason: HEALTH_FAILED }]);
  assert.deepEqual(cd.writes, []);
  assert.deepEqual(cd.targetReads.map((r) => r.targetId), [TARGET_ID, TARGET_ID], 'the target is CLUSTER:SERVICE');
});

test('follow: a rollback deployment that ends Failed is a failure saying production may not be back', async () => {
  const cd = new FakeCodeDeploy();
  cd.script(RELEASE, [failed(ROLLBACK)]);
  cd.script(ROLLBACK, [rollbackLook('InProgress'), rollbackLook('Failed', { errorInformation: { code: 'ECS_UPDATE_ERROR', message: 'rollback failed' } })]);
  const { report, events } = await follow(cd);

  assert.equal(report.end.kind, 'failed');
  assert.ok(report.end.kind === 'failed');
  assert.match(report.end.reason, new RegExp(`^${HEALTH_FAILED.replace(/\./g, '\\.')}; the rollback deployment ${ROLLBACK} ended Failed, so production may not be back on the original task set$`));
  assert.equal(report.rollbackDeploymentId, ROLLBACK);
  assert.deepEqual(endEvents(events), [{ type: 'deployment-failed', deploymentId: RELEASE, reason: report.end.reason }]);
  assert.deepEqual(cd.reads, [RELEASE, ROLLBACK, ROLLBACK]);
});

test('follow: the deadline passing while the rollback deployment still runs is a timeout, naming the rollback', async () => {
  const cd = new FakeCodeDeploy();
  cd.script(RELEASE, [look(RELEASE, 'InProgress'), failed(ROLLBACK)]);
  cd.script(ROLLBACK, [rollbackLook('InProgress')]);
  const { report, events, clock } = await follow(cd, { deadline: T0 + 5000 });

  assert.deepEqual(report.end, { kind: 'timed-out' });
  assert.equal(report.rollbackDeploymentId, ROLLBACK);
  assert.equal(clock.now(), T0 + 5000, 'stops at the deadline, not a poll past it');
  assert.equal(cd.readsOf(ROLLBACK), 5, 'T0+1s to T0+5s');
  assert.deepEqual(endEvents(events), [], 'the deployment has not ended: no end is told');
});

test(`follow: a Failed deployment gets ${ROLLBACK_ID_LOOKS} more looks to name its rollback deployment when the group rolls back`, async () => {
  const cd = new FakeCodeDeploy();
  cd.script(RELEASE, [failed(), failed(ROLLBACK)]);
  cd.script(ROLLBACK, [rollbackLook('InProgress'), rollbackLook('Succeeded')]);
  const { report, events } = await follow(cd);

  assert.equal(report.end.kind, 'rolled-back');
  assert.equal(report.rollbackDeploymentId, ROLLBACK);
  assert.deepEqual(cd.reads, [RELEASE, RELEASE, ROLLBACK, ROLLBACK]);
  assert.deepEqual(endEvents(events).map((e) => e.type), ['deployment-rolled-back'], 'not told failed first');
});

test('follow: a Failed deployment that never names a rollback deployment is a failure after the extra looks, whatever the group\'s rollback setting', async () => {
  const noRollback = { autoRollbackConfiguration: { enabled: false } };
  const once = new FakeCodeDeploy();
  once.script(RELEASE, [failed(undefined, noRollback)]);
  const first = await follow(once);
  assert.deepEqual(first.report.end, { kind: 'failed', reason: HEALTH_FAILED });
  assert.equal(first.report.rollbackDeploymentId, undefined);
  assert.equal(once.readsOf(RELEASE), 1 + ROLLBACK_ID_LOOKS);
  assert.deepEqual(endEvents(first.events), [{ type: 'deployment-failed', deploymentId: RELEASE, reason: HEALTH_FAILED }]);

  const never = new FakeCodeDeploy();
  never.script(RELEASE, [failed()]);
  const last = await follow(never);
  assert.deepEqual(last.report.end, { kind: 'failed', reason: HEALTH_FAILED });
  assert.equal(never.readsOf(RELEASE), 1 + ROLLBACK_ID_LOOKS);
  assert.deepEqual(last.clock.sleeps, Array(ROLLBACK_ID_LOOKS).fill(POLL_MS));
  assert.deepEqual(endEvents(last.events).map((e) => e.type), ['deployment-failed']);
});

// ---------------------------------------------------------------- follow.ts: gates during the ready wait

test('follow: a gate failing during the ready wait stops the deployment with rollback once, then follows the rollback', async () => {
  const cd = new FakeCodeDeploy();
  cd.script(RELEASE, [look(RELEASE, 'InProgress'), look(RELEASE, 'Ready')]);
  cd.scriptTarget(RELEASE, [target('InProgress', { lifecycleEvents: TEST_TRAFFIC_ON_GREEN })]);
  // CodeDeploy still shows Ready a look after the stop, then Stopped before it names the rollback.
  cd.onStop = (fake) => fake.script(RELEASE, [look(RELEASE, 'Ready'), stopped(), stopped(ROLLBACK)]);
  cd.script(ROLLBACK, [rollbackLook('InProgress'), rollbackLook('Succeeded')]);
  const checks = new FakeGateChecks([{ ok: false, summary: 'HTTP 503', lines: ['GET http://127.0.0.1:9/health -> 503'] }]);
  const { report, events } = await follow(cd, { gates: [SMOKE] }, checks);

  const reason = 'gate smoke failed after 1 attempt: HTTP 503';
  assert.deepEqual(cd.writes, [{ op: 'stopDeployment', deploymentId: RELEASE, rollback: true }]);
  assert.equal(checks.attempts.length, 1, 'the gates run once, not on every look at Ready');
  assert.equal(report.end.kind, 'rolled-back');
  assert.ok(report.end.kind === 'rolled-back');
  assert.equal(report.end.reason, reason, 'rolled back for the gate, not for the stop');
  assert.equal(report.rollbackDeploymentId, ROLLBACK);
  assert.deepEqual(eventsOf(events, 'codedeploy-waiting'), [
    { type: 'codedeploy-waiting', deploymentId: RELEASE, wait: 'ready', gated: true, until: new Date(T0 + 3000 + 30 * 60_000).toISOString() },
  ]);
  assert.deepEqual(eventsOf(events, 'codedeploy-stopping'), [{ type: 'codedeploy-stopping', deploymentId: RELEASE, rollback: true, reason }]);
  assert.deepEqual(endEvents(events), [{ type: 'deployment-rolled-back', deploymentId: RELEASE, rollbackDeploymentId: ROLLBACK, reason }]);
});

test('follow: a gate\'s stop asks for a rollback itself, so the rollback id gets its extra looks even where the group does not roll back', async () => {
  const noRollback = { autoRollbackConfiguration: { enabled: false } };
  const cd = new FakeCodeDeploy();
  cd.script(RELEASE, [look(RELEASE, 'Ready', noRollback)]);
  cd.onStop = (fake) => fake.script(RELEASE, [{ ...stopped(), ...noRollback }, { ...stopped(ROLLBACK), ...noRollback }]);
  cd.script(ROLLBACK, [rollbackLook('Succeeded')]);
  const checks = new FakeGateChecks([{ ok: false, summary: 'HTTP 503', lines: [] }]);
  const { report } = await follow(cd, { gates: [SMOKE] }, checks);

  assert.deepEqual(cd.writes, [{ op: 'stopDeployment', deploymentId: RELEASE, rollback: true }]);
  assert.equal(report.end.kind, 'rolled-back');
  assert.equal(report.rollbackDeploymentId, ROLLBACK);
});

test('follow: a stop refused because the deployment already completed is no error; the next look tells the end', async () => {
  const cd = new FakeCodeDeploy();
  // Someone promoted it while the gate ran: by the stop, it has completed.
  cd.script(RELEASE, [look(RELEASE, 'Ready'), look(RELEASE, 'Succeeded')]);
  cd.stopError = awsError('DeploymentAlreadyCompletedException', `The deployment ${RELEASE} has already completed.`);
  const checks = new FakeGateChecks([{ ok: false, summary: 'HTTP 503', lines: [] }]);
  const { report, events, types } = await follow(cd, { gates: [SMOKE] }, checks);

  assert.deepEqual(cd.writes, [{ op: 'stopDeployment', deploymentId: RELEASE, rollback: true }]);
  assert.deepEqual(report.end, { kind: 'completed' });
  assert.deepEqual(cd.reads, [RELEASE, RELEASE]);
  assert.ok(types.includes('gate-failed'), 'the gate failure stays in the log');
  assert.deepEqual(endEvents(events).map((e) => e.type), ['deployment-completed']);
});

test('follow: any other StopDeployment failure throws, saying what was being done', async () => {
  const cd = new FakeCodeDeploy();
  cd.script(RELEASE, [look(RELEASE, 'Ready')]);
  cd.stopError = awsError('AccessDeniedException', 'not authorized to perform codedeploy:StopDeployment');
  const checks = new FakeGateChecks([{ ok: false, summary: 'HTTP 503', lines: [] }]);
  await assert.rejects(follow(cd, { gates: [SMOKE] }, checks), (err: unknown) => {
    assert.ok(err instanceof RolloutError);
    assert.equal(err.code, 'AwsRequestFailed');
    assert.equal(err.message, `failed to stop CodeDeploy deployment ${RELEASE} with rollback: AccessDeniedException: not authorized to perform codedeploy:StopDeployment`);
    return true;
  });
  assert.equal(cd.writes.length, 1);
});

test('follow: passing gates continue the ready wait exactly once, though Ready shows on several looks', async () => {
  const cd = new FakeCodeDeploy();
  cd.script(RELEASE, [
    look(RELEASE, 'InProgress'),
    look(RELEASE, 'Ready'),
    look(RELEASE, 'Ready'),
    look(RELEASE, 'Ready'),
    look(RELEASE, 'InProgress'),
    look(RELEASE, 'Succeeded'),
  ]);
  cd.scriptTarget(RELEASE, [target('InProgress', { lifecycleEvents: TEST_TRAFFIC_ON_GREEN })]);
  const checks = new FakeGateChecks([{ ok: true, summary: 'HTTP 200', lines: [] }]);
  const { report, events } = await follow(cd, { gates: [SMOKE] }, checks);

  assert.deepEqual(cd.writes, [{ op: 'continueDeployment', deploymentId: RELEASE, wait: 'READY_WAIT' }]);
  assert.equal(checks.attempts.length, 1);
  assert.deepEqual(report.end, { kind: 'completed' });
  assert.equal(cd.readsOf(RELEASE), 6);
  assert.deepEqual(eventsOf(events, 'codedeploy-continued'), [{ type: 'codedeploy-continued', deploymentId: RELEASE, wait: 'READY_WAIT' }]);
  assert.equal(eventsOf(events, 'codedeploy-waiting').length, 1);
  assert.deepEqual(endEvents(events).map((e) => e.type), ['deployment-completed']);
});

test('follow: without gates the ready wait is CodeDeploy\'s own: told, nothing continued', async () => {
  const cd = new FakeCodeDeploy();
  cd.script(RELEASE, [look(RELEASE, 'Ready'), look(RELEASE, 'Ready'), look(RELEASE, 'Succeeded')]);
  const { report, events } = await follow(cd, { readyWaitMinutes: undefined });

  assert.deepEqual(cd.writes, []);
  assert.deepEqual(report.end, { kind: 'completed' });
  assert.deepEqual(eventsOf(events, 'codedeploy-waiting'), [{ type: 'codedeploy-waiting', deploymentId: RELEASE, wait: 'ready', gated: false, until: undefined }]);
});

// ---------------------------------------------------------------- follow.ts: the termination wait

test('follow: a succeeded ECS target while the deployment goes on is the termination wait: completed unless told to wait for it', async () => {
  const script = (cd: FakeCodeDeploy): void => {
    cd.script(RELEASE, [look(RELEASE, 'InProgress'), look(RELEASE, 'InProgress'), look(RELEASE, 'InProgress'), look(RELEASE, 'InProgress'), look(RELEASE, 'Succeeded')]);
    cd.scriptTarget(RELEASE, [target('InProgress'), target('Succeeded')]);
  };

  const early = new FakeCodeDeploy();
  script(early);
  const done = await follow(early, { waitForTermination: false });
  assert.deepEqual(done.report.end, { kind: 'completed' });
  assert.deepEqual(early.reads, [RELEASE, RELEASE], 'ends on the look that shows the target succeeded');
  assert.deepEqual(eventsOf(done.events, 'codedeploy-waiting'), [{ type: 'codedeploy-waiting', deploymentId: RELEASE, wait: 'termination', gated: false, until: undefined }]);
  assert.deepEqual(endEvents(done.events).map((e) => e.type), ['deployment-completed']);
  assert.deepEqual(early.writes, []);

  const through = new FakeCodeDeploy();
  script(through);
  const waited = await follow(through, { waitForTermination: true });
  assert.deepEqual(waited.report.end, { kind: 'completed' });
  assert.equal(through.readsOf(RELEASE), 5, 'follows until the deployment itself succeeds');
  assert.equal(eventsOf(waited.events, 'codedeploy-waiting').length, 1, 'the wait is told once');
  assert.deepEqual(endEvents(waited.events).map((e) => e.type), ['deployment-completed']);
  assert.deepEqual(through.writes, [], 'the wait is not ended early');
});

// ---------------------------------------------------------------- ongoing.ts

test('ongoingDeployments: CodeDeploy\'s rollback is kept apart from the release, each the newest by createTime in any list order', async () => {
  const deployments = [
    look('d-OLDRELEASE', 'InProgress', { createTime: new Date(T0 - 7_200_000) }),
    look('d-NEWROLLBACK', 'InProgress', { creator: 'codeDeployRollback', createTime: new Date(T0 - 60_000) }),
    look('d-NEWRELEASE', 'Ready', { createTime: new Date(T0) }),
    look('d-OLDROLLBACK', 'InProgress', { creator: 'codeDeployRollback', createTime: new Date(T0 - 5_400_000) }),
  ];
  for (const order of [deployments, [...deployments].reverse()]) {
    const cd = new FakeCodeDeploy();
    for (const d of order) cd.script(d.deploymentId ?? '', [d]);
    cd.listed = order.map((d) => d.deploymentId ?? '');
    const { release, rollback } = await ongoingDeployments(cd, 'web-app', 'web-dg');
    const listed = cd.listed.join(', ');
    assert.equal(release?.deploymentId, 'd-NEWRELEASE', listed);
    assert.equal(rollback?.deploymentId, 'd-NEWROLLBACK', listed);
    assert.deepEqual(cd.listCalls, [{ application: 'web-app', group: 'web-dg', statuses: ONGOING_DEPLOYMENT_STATUSES }]);
  }

  const onlyRollback = new FakeCodeDeploy();
  onlyRollback.script(ROLLBACK, [rollbackLook('InProgress')]);
  onlyRollback.listed = [ROLLBACK];
  const found = await ongoingDeployments(onlyRollback, 'web-app', 'web-dg');
  assert.equal(found.release, undefined, 'a rollback is never taken for the release');
  assert.equal(found.rollback?.deploymentId, ROLLBACK);
});

// ---------------------------------------------------------------- stop.ts

const ONGOING: HistoryEntry = {
  serviceDeploymentArn: RELEASE,
  status: 'InProgress',
  outcome: 'in-progress',
  startedAt: new Date(T0 - 60_000).toISOString(),
  finishedAt: undefined,
  durationMs: undefined,
  taskDefinitionArn: TD_ARN(4),
  revision: 'web:4',
  image: `${REPO_URI}:v4`,
  commit: undefined,
  who: undefined,
  deploymentId: RELEASE,
  strategy: 'CodeDeploy',
  reason: undefined,
};

async function stopAndFollow(cd: FakeCodeDeploy, dryRun = false) {
  const clock = fakeClock();
  const events: EventBody[] = [];
  const result = await stopCodeDeployAndFollow(
    cd, { cluster: 'prod', service: 'web', timeoutMs: 600_000, pollIntervalMs: POLL_MS, dryRun }, ONGOING, (e) => events.push(e), { clock, signal: undefined },
  );
  return { result, events, clock };
}

test('stopCodeDeployAndFollow: stops with rollback, follows the stopped deployment to its rollback deployment, succeeded when that one does', async () => {
  const cd = new FakeCodeDeploy();
  // Still InProgress a look after the stop, then Stopped a look before it names the rollback.
  cd.script(RELEASE, [look(RELEASE, 'InProgress'), stopped(), stopped(ROLLBACK)]);
  cd.script(ROLLBACK, [rollbackLook('InProgress'), rollbackLook('InProgress'), rollbackLook('Succeeded')]);
  const { result, events } = await stopAndFollow(cd);

  assert.deepEqual(cd.writes, [{ op: 'stopDeployment', deploymentId: RELEASE, rollback: true }]);
  assert.equal(result.outcome, 'succeeded');
  assert.equal(result.rollbackDeploymentId, ROLLBACK);
  assert.equal(result.deploymentId, RELEASE);
  assert.equal(result.message, `rolled back service web in cluster prod: CodeDeploy deployment ${RELEASE} of web:4 stopped and rolled back (rollback deployment ${ROLLBACK} succeeded)`);
  assert.deepEqual(cd.reads, [RELEASE, RELEASE, RELEASE, ROLLBACK, ROLLBACK, ROLLBACK]);
  assert.deepEqual(events.map((e) => e.type), ['rollback-requested']);
});

test('stopCodeDeployAndFollow: a stopped deployment that never names a rollback deployment after the extra looks is a failure', async () => {
  const cd = new FakeCodeDeploy();
  cd.script(RELEASE, [stopped()]);
  const { result, clock } = await stopAndFollow(cd);

  assert.deepEqual(cd.writes, [{ op: 'stopDeployment', deploymentId: RELEASE, rollback: true }]);
  assert.equal(result.outcome, 'failed');
  assert.equal(result.reason, 'The deployment was manually stopped.');
  assert.equal(result.rollbackDeploymentId, undefined);
  assert.equal(result.message, 'the rollback of service web ended Stopped: The deployment was manually stopped.');
  assert.equal(cd.readsOf(RELEASE), 1 + ROLLBACK_ID_LOOKS);
  assert.deepEqual(clock.sleeps, Array(ROLLBACK_ID_LOOKS).fill(POLL_MS));
});

test('stopCodeDeployAndFollow: a rollback deployment that ends Failed is a failure; a dry run stops nothing', async () => {
  const cd = new FakeCodeDeploy();
  cd.script(RELEASE, [stopped(ROLLBACK)]);
  cd.script(ROLLBACK, [rollbackLook('Failed', { errorInformation: { code: 'ECS_UPDATE_ERROR', message: 'rollback failed' } })]);
  const { result } = await stopAndFollow(cd);
  assert.equal(result.outcome, 'failed');
  assert.equal(result.reason, 'rollback failed');

  const dry = new FakeCodeDeploy();
  const planned = await stopAndFollow(dry, true);
  assert.equal(planned.result.outcome, 'planned');
  assert.deepEqual(dry.writes, []);
  assert.deepEqual(dry.reads, []);
});
