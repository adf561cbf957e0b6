import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { initialLifecycle } from '../../src/emulator/services/codedeploy/lifecycle-events.js';
import type { StoredDeployment } from '../../src/emulator/services/codedeploy/model.js';
import { CodeDeployStore } from '../../src/emulator/services/codedeploy/store.js';
import { StateDirectory } from '../../src/emulator/state-directory.js';

const where = { account: '000000000000', region: 'us-east-1' };

/** A deployment waiting Ready, with every member the runner keeps. */
function readyDeployment(id: string): StoredDeployment {
  return {
    info: {
      deploymentId: id, applicationName: 'app', deploymentGroupName: 'web', status: 'Ready', createTime: new Date('2026-01-01T00:00:00Z'),
      startTime: new Date('2026-01-01T00:00:01Z'), creator: 'user', instanceTerminationWaitTimeStarted: false,
      overrideAlarmConfiguration: { enabled: true, ignorePollAlarmFailure: true, alarms: [{ name: 'web-5xx' }] },
    },
    plan: {
      ...where, cluster: 'prod', service: 'web', serviceArn: 'arn:aws:ecs:us-east-1:000000000000:service/prod/web', taskDefinition: 'web:2',
      containerName: 'app', containerPort: 8080, originalTaskSetId: 'ecs-svc/1', originalTargetGroupArn: 'arn:tg1', replacementTargetGroupArn: 'arn:tg2',
      productionListeners: ['arn:prod'], testListeners: ['arn:test'], steps: [{ percent: 100, afterMs: 0 }], terminationWaitMs: 0, readyWaitMs: 3_600_000,
      rollbackOnFailure: true, rollbackOnStop: false, rollbackOnAlarm: true, alarms: { names: ['web-5xx'], ignorePollFailure: true }, hooks: [],
    },
    progress: { phase: 'Ready', since: 1_767_225_601_000 },
    replacementTaskSetId: 'ecs-svc/2',
    hooks: { done: [], finished: [], running: undefined },
    lifecycle: initialLifecycle(true).map((e, i) => (i < 5 ? { ...e, status: 'Succeeded', startTime: 1_767_225_601_000 + i, endTime: 1_767_225_601_100 + i } : e)),
    production: 0,
    targetUpdatedAt: 1_767_225_601_104,
    taskSetsAtEnd: undefined,
  };
}

test('CodeDeployStore: a deployment and its rollback survive a restart with their waits, alarms, lifecycle events and rollback links', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'codedeploy-store-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const saved = new CodeDeployStore();
  const first = new StateDirectory(dir);
  first.attach(saved);
  const ready = readyDeployment('d-AAAAAAAAA');
  const rolledBack: StoredDeployment = {
    ...readyDeployment('d-BBBBBBBBB'),
    info: { ...readyDeployment('d-BBBBBBBBB').info, status: 'Stopped', rollbackInfo: { rollbackDeploymentId: 'd-CCCCCCCCC', rollbackMessage: 'rolled back' } },
    progress: undefined,
    taskSetsAtEnd: [{ identifer: 'ecs-svc/1', status: 'PRIMARY', trafficWeight: 100, taskSetLabel: 'Blue', targetGroup: { name: 'tg1' } }],
  };
  const rollback: StoredDeployment = {
    ...readyDeployment('d-CCCCCCCCC'),
    info: { ...readyDeployment('d-CCCCCCCCC').info, status: 'Succeeded', creator: 'codeDeployRollback', rollbackInfo: { rollbackTriggeringDeploymentId: 'd-BBBBBBBBB' } },
    progress: undefined,
    taskSetsAtEnd: [],
  };
  for (const d of [ready, rolledBack, rollback]) saved.scope(where).deployments.set(d.info.deploymentId, d);
  first.flush(true);

  const restored = new CodeDeployStore();
  new StateDirectory(dir).attach(restored);
  const deployments = restored.scope(where).deployments;
  assert.deepEqual([...deployments.keys()], ['d-AAAAAAAAA', 'd-BBBBBBBBB', 'd-CCCCCCCCC'], 'in the order they were created');
  assert.deepEqual(deployments.get('d-AAAAAAAAA'), ready);
  assert.deepEqual(deployments.get('d-BBBBBBBBB'), rolledBack);
  assert.deepEqual(deployments.get('d-CCCCCCCCC'), rollback);
  assert.deepEqual(restored.runningDeployments().map((d) => d.info.deploymentId), ['d-AAAAAAAAA']);
});

test('CodeDeployStore: a deployment saved before ready waits and lifecycle events were kept reads with their defaults', () => {
  const store = new CodeDeployStore();
  const modern = readyDeployment('d-AAAAAAAAA');
  const { serviceArn: _arn, readyWaitMs: _ready, rollbackOnAlarm: _alarm, alarms: _alarms, ...oldPlan } = modern.plan;
  const { lifecycle: _l, production: _p, targetUpdatedAt: _u, taskSetsAtEnd: _e, ...oldDeployment } = modern;
  const old = {
    ...oldDeployment,
    info: { ...modern.info, status: 'InProgress' },
    plan: oldPlan,
    // Test traffic routed, production not moved yet: what the old runner's AllowTraffic at step 0 meant.
    progress: { phase: 'AllowTraffic', startedAt: 1_767_225_601_000, stepsDone: 0 },
  };
  store.restore({ '000000000000/us-east-1': { applications: [], groups: [], configs: [], deployments: [old] } });
  const [upgraded] = [...store.scope(where).deployments.values()];
  assert.ok(upgraded, JSON.stringify([...store.scope(where).deployments.keys()]));
  assert.deepEqual(upgraded.progress, { phase: 'TestTraffic' });
  assert.equal(upgraded.plan.serviceArn, 'arn:aws:ecs:us-east-1:000000000000:service/prod/web');
  assert.equal(upgraded.plan.readyWaitMs, undefined);
  assert.equal(upgraded.plan.rollbackOnAlarm, false);
  assert.deepEqual(upgraded.plan.alarms, { names: [], ignorePollFailure: false });
  assert.deepEqual(upgraded.lifecycle, initialLifecycle(true));
  assert.equal(upgraded.production, 0);
  assert.equal(upgraded.targetUpdatedAt, new Date('2026-01-01T00:00:01Z').getTime());
});
