import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  BatchGetApplicationsCommand, BatchGetDeploymentGroupsCommand, CodeDeployClient, CreateApplicationCommand, CreateDeploymentCommand,
  CreateDeploymentConfigCommand, CreateDeploymentGroupCommand, DeleteApplicationCommand, DeleteDeploymentConfigCommand,
  DeleteDeploymentGroupCommand, GetApplicationCommand, GetDeploymentConfigCommand, GetDeploymentGroupCommand, ListApplicationsCommand,
  ListDeploymentConfigsCommand, ListDeploymentGroupsCommand, ListDeploymentInstancesCommand, UpdateApplicationCommand, UpdateDeploymentGroupCommand,
  type CreateDeploymentConfigInput, type CreateDeploymentGroupInput,
} from '@aws-sdk/client-codedeploy';
import { startEmulator } from '../../src/emulator/index.js';
import { TEST_CREDENTIALS, TEST_REGION, uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';
import { clientEnv, missing, run } from '../support/third-party.js';

/** CodeDeploy's ECS control plane (applications, deployment groups, deployment configs) over real HTTP. */

const ROLE = 'arn:aws:iam::000000000000:role/ecsCodeDeployRole';
const PROD = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/web/0123456789abcdef/0000000000000001';
const TEST = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/web/0123456789abcdef/0000000000000002';

async function codeDeployFor(t: Parameters<typeof startTestEmulator>[0]) {
  const { emulator } = await startTestEmulator(t);
  const codedeploy = new CodeDeployClient({ endpoint: emulator.url, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  t.after(async () => codedeploy.destroy());
  return { emulator, codedeploy };
}

/** A complete ECS deployment group request, as the ECS blue/green tutorial writes it. */
function ecsGroup(application: string, name: string, service = uniqueName('svc')): CreateDeploymentGroupInput {
  return {
    applicationName: application,
    deploymentGroupName: name,
    serviceRoleArn: ROLE,
    ecsServices: [{ clusterName: 'prod', serviceName: service }],
    loadBalancerInfo: {
      targetGroupPairInfoList: [
        { targetGroups: [{ name: 'web-blue' }, { name: 'web-green' }], prodTrafficRoute: { listenerArns: [PROD] }, testTrafficRoute: { listenerArns: [TEST] } },
      ],
    },
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    blueGreenDeploymentConfiguration: {
      deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 30 },
      terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 5 },
    },
    autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] },
    alarmConfiguration: { enabled: true, ignorePollAlarmFailure: false, alarms: [{ name: 'web-5xx' }] },
    deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
  };
}

/** Asserts that `promise` fails with AWS error `name` and a message matching `message`. */
async function rejectsWith(promise: Promise<unknown>, name: string, message: RegExp | string): Promise<void> {
  await assert.rejects(promise, (err: Error) => {
    assert.equal(err.name, name, `expected ${name}, got ${err.name}: ${err.message}`);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

test('applications are created, read, listed, renamed and deleted; names clash and go missing as on AWS', async (t) => {
  const { codedeploy } = await codeDeployFor(t);
  const name = uniqueName('app');
  const { applicationId } = await codedeploy.send(new CreateApplicationCommand({ applicationName: name, computePlatform: 'ECS' }));
  assert.match(applicationId ?? '', /^[0-9a-f-]{36}$/);

  const { application } = await codedeploy.send(new GetApplicationCommand({ applicationName: name }));
  assert.equal(application?.applicationId, applicationId);
  assert.equal(application?.computePlatform, 'ECS');
  assert.equal(application?.linkedToGitHub, false);
  assert.ok(application?.createTime instanceof Date && Math.abs(application.createTime.getTime() - Date.now()) < 60_000 * 60);

  await rejectsWith(codedeploy.send(new CreateApplicationCommand({ applicationName: name, computePlatform: 'ECS' })), 'ApplicationAlreadyExistsException', `${name} already exists in your account`);
  await rejectsWith(codedeploy.send(new GetApplicationCommand({ applicationName: `${name}-x` })), 'ApplicationDoesNotExistException', `No application found for name: ${name}-x`);
  await rejectsWith(codedeploy.send(new CreateApplicationCommand({ applicationName: '' })), 'ApplicationNameRequiredException', /application names was not specified/);

  const other = uniqueName('app');
  await codedeploy.send(new CreateApplicationCommand({ applicationName: other, computePlatform: 'ECS' }));
  const listed = await codedeploy.send(new ListApplicationsCommand({}));
  assert.deepEqual(listed.applications, [name, other].sort());
  const batch = await codedeploy.send(new BatchGetApplicationsCommand({ applicationNames: [other, name] }));
  assert.deepEqual(batch.applicationsInfo?.map((a) => a.applicationName), [other, name]);
  await rejectsWith(codedeploy.send(new BatchGetApplicationsCommand({ applicationNames: [name, 'nope'] })), 'ApplicationDoesNotExistException', 'No application found for name: nope');

  // A rename keeps the id and carries the deployment groups along.
  await codedeploy.send(new CreateDeploymentGroupCommand(ecsGroup(name, 'web')));
  const renamed = `${name}-renamed`;
  await codedeploy.send(new UpdateApplicationCommand({ applicationName: name, newApplicationName: renamed }));
  await rejectsWith(codedeploy.send(new GetApplicationCommand({ applicationName: name })), 'ApplicationDoesNotExistException', `No application found for name: ${name}`);
  assert.equal((await codedeploy.send(new GetApplicationCommand({ applicationName: renamed }))).application?.applicationId, applicationId);
  const group = await codedeploy.send(new GetDeploymentGroupCommand({ applicationName: renamed, deploymentGroupName: 'web' }));
  assert.equal(group.deploymentGroupInfo?.applicationName, renamed);
  await rejectsWith(codedeploy.send(new UpdateApplicationCommand({ applicationName: renamed, newApplicationName: other })), 'ApplicationAlreadyExistsException', `${other} already exists in your account`);

  await codedeploy.send(new DeleteApplicationCommand({ applicationName: renamed }));
  assert.deepEqual((await codedeploy.send(new ListApplicationsCommand({}))).applications, [other]);
  // Its groups went with it: a new application of the same name starts empty.
  await codedeploy.send(new CreateApplicationCommand({ applicationName: renamed, computePlatform: 'ECS' }));
  assert.deepEqual((await codedeploy.send(new ListDeploymentGroupsCommand({ applicationName: renamed }))).deploymentGroups, []);
  // Deleting what is gone succeeds, as the API reference lists no not-found error for it.
  await codedeploy.send(new DeleteApplicationCommand({ applicationName: `${name}-never` }));
});

test('the Server and Lambda compute platforms are refused with an error naming the gap', async (t) => {
  const { codedeploy } = await codeDeployFor(t);
  for (const computePlatform of ['Server', 'Lambda'] as const) {
    await rejectsWith(
      codedeploy.send(new CreateApplicationCommand({ applicationName: uniqueName('app'), computePlatform })),
      'InvalidComputePlatformException',
      new RegExp(`ecs-rollout emulator serves the ECS compute platform only, not ${computePlatform}`),
    );
  }
  // No computePlatform means Server on AWS.
  await rejectsWith(codedeploy.send(new CreateApplicationCommand({ applicationName: uniqueName('app') })), 'InvalidComputePlatformException', /not Server/);
  await rejectsWith(
    codedeploy.send(new CreateApplicationCommand({ applicationName: uniqueName('app'), computePlatform: 'Mainframe' as 'ECS' })),
    'InvalidComputePlatformException',
    'The computePlatform Mainframe is invalid. The computePlatform should be Lambda, Server, or ECS.',
  );
  assert.deepEqual((await codedeploy.send(new ListApplicationsCommand({}))).applications, []);
});

test('an ECS deployment group is created, read back with its defaults, listed, updated, renamed and deleted', async (t) => {
  const { codedeploy } = await codeDeployFor(t);
  const app = uniqueName('app');
  await codedeploy.send(new CreateApplicationCommand({ applicationName: app, computePlatform: 'ECS' }));
  const input = ecsGroup(app, 'web');
  const { deploymentGroupId } = await codedeploy.send(new CreateDeploymentGroupCommand(input));
  const { deploymentGroupInfo: info } = await codedeploy.send(new GetDeploymentGroupCommand({ applicationName: app, deploymentGroupName: 'web' }));
  assert.equal(info?.deploymentGroupId, deploymentGroupId);
  assert.equal(info?.computePlatform, 'ECS');
  assert.equal(info?.serviceRoleArn, ROLE);
  assert.deepEqual(info?.ecsServices, input.ecsServices);
  assert.deepEqual(info?.loadBalancerInfo, input.loadBalancerInfo);
  assert.deepEqual(info?.deploymentStyle, input.deploymentStyle);
  assert.deepEqual(info?.blueGreenDeploymentConfiguration, input.blueGreenDeploymentConfiguration);
  assert.deepEqual(info?.autoRollbackConfiguration, input.autoRollbackConfiguration);
  assert.deepEqual(info?.alarmConfiguration, input.alarmConfiguration);
  assert.equal(info?.deploymentConfigName, 'CodeDeployDefault.ECSCanary10Percent5Minutes');

  // The least an ECS group needs; the rest takes AWS's defaults.
  const least = ecsGroup(app, 'api');
  delete least.blueGreenDeploymentConfiguration;
  delete least.autoRollbackConfiguration;
  delete least.alarmConfiguration;
  delete least.deploymentConfigName;
  least.loadBalancerInfo = { targetGroupPairInfoList: [{ targetGroups: [{ name: 'api-1' }, { name: 'api-2' }], prodTrafficRoute: { listenerArns: [PROD] } }] };
  await codedeploy.send(new CreateDeploymentGroupCommand(least));
  const api = (await codedeploy.send(new GetDeploymentGroupCommand({ applicationName: app, deploymentGroupName: 'api' }))).deploymentGroupInfo;
  assert.equal(api?.deploymentConfigName, 'CodeDeployDefault.ECSAllAtOnce');
  assert.deepEqual(api?.blueGreenDeploymentConfiguration, {
    deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT', waitTimeInMinutes: 0 },
    terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 0 },
  });
  assert.deepEqual(api?.alarmConfiguration, { enabled: false, ignorePollAlarmFailure: false, alarms: [] });
  assert.deepEqual(api?.autoRollbackConfiguration, { enabled: false });
  assert.equal(api?.loadBalancerInfo?.targetGroupPairInfoList?.[0]?.testTrafficRoute, undefined);

  assert.deepEqual((await codedeploy.send(new ListDeploymentGroupsCommand({ applicationName: app }))).deploymentGroups, ['api', 'web']);
  const batch = await codedeploy.send(new BatchGetDeploymentGroupsCommand({ applicationName: app, deploymentGroupNames: ['web', 'gone'] }));
  assert.deepEqual(batch.deploymentGroupsInfo?.map((g) => g.deploymentGroupName), ['web']);
  assert.match(batch.errorMessage ?? '', /gone/);

  // An update changes what it names and keeps the rest; a rename keeps the id.
  await codedeploy.send(
    new UpdateDeploymentGroupCommand({
      applicationName: app,
      currentDeploymentGroupName: 'web',
      newDeploymentGroupName: 'web-bg',
      deploymentConfigName: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
      alarmConfiguration: { enabled: false, alarms: [] },
    }),
  );
  await rejectsWith(codedeploy.send(new GetDeploymentGroupCommand({ applicationName: app, deploymentGroupName: 'web' })), 'DeploymentGroupDoesNotExistException', 'No Deployment Group found for name: web');
  const updated = (await codedeploy.send(new GetDeploymentGroupCommand({ applicationName: app, deploymentGroupName: 'web-bg' }))).deploymentGroupInfo;
  assert.equal(updated?.deploymentGroupId, deploymentGroupId);
  assert.equal(updated?.deploymentConfigName, 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes');
  assert.deepEqual(updated?.alarmConfiguration, { enabled: false, ignorePollAlarmFailure: false, alarms: [] });
  assert.deepEqual(updated?.loadBalancerInfo, input.loadBalancerInfo);
  assert.deepEqual(updated?.autoRollbackConfiguration, input.autoRollbackConfiguration);
  await rejectsWith(
    codedeploy.send(new UpdateDeploymentGroupCommand({ applicationName: app, currentDeploymentGroupName: 'web-bg', newDeploymentGroupName: 'api' })),
    'DeploymentGroupAlreadyExistsException',
    /api already exists/,
  );
  // An update is checked as a create is.
  await rejectsWith(
    codedeploy.send(new UpdateDeploymentGroupCommand({ applicationName: app, currentDeploymentGroupName: 'api', deploymentStyle: { deploymentType: 'IN_PLACE' } })),
    'InvalidDeploymentStyleException',
    /BLUE_GREEN/,
  );

  const deleted = await codedeploy.send(new DeleteDeploymentGroupCommand({ applicationName: app, deploymentGroupName: 'web-bg' }));
  assert.deepEqual(deleted.hooksNotCleanedUp, []);
  assert.deepEqual((await codedeploy.send(new ListDeploymentGroupsCommand({ applicationName: app }))).deploymentGroups, ['api']);
});

test('ECS deployment groups are validated with the errors AWS names', async (t) => {
  const { codedeploy } = await codeDeployFor(t);
  const app = uniqueName('app');
  await codedeploy.send(new CreateApplicationCommand({ applicationName: app, computePlatform: 'ECS' }));
  const taken = ecsGroup(app, 'taken', 'shared');
  await codedeploy.send(new CreateDeploymentGroupCommand(taken));

  const pair = (targetGroups: Array<{ name: string }>) => ({ targetGroupPairInfoList: [{ targetGroups, prodTrafficRoute: { listenerArns: [PROD] } }] });
  const cases: Array<[string, (g: CreateDeploymentGroupInput) => void, string, RegExp | string]> = [
    ['no application', (g) => void (g.applicationName = `${app}-x`), 'ApplicationDoesNotExistException', `No application found for name: ${app}-x`],
    ['a taken name', (g) => void (g.deploymentGroupName = 'taken'), 'DeploymentGroupAlreadyExistsException', /taken already exists for application/],
    ['no group name', (g) => void (g.deploymentGroupName = ''), 'DeploymentGroupNameRequiredException', 'The deployment group name was not specified.'],
    ['no role', (g) => void delete g.serviceRoleArn, 'RoleRequiredException', 'The role ID was not specified.'],
    ['a role that is not an ARN', (g) => void (g.serviceRoleArn = 'my-role'), 'InvalidRoleException', /my-role/],
    ['no deployment style', (g) => void delete g.deploymentStyle, 'InvalidDeploymentStyleException', /BLUE_GREEN.*WITH_TRAFFIC_CONTROL/],
    ['in-place style', (g) => void (g.deploymentStyle = { deploymentType: 'IN_PLACE', deploymentOption: 'WITH_TRAFFIC_CONTROL' }), 'InvalidDeploymentStyleException', /BLUE_GREEN/],
    ['no ECS service', (g) => void delete g.ecsServices, 'InvalidECSServiceException', /ecsServices/],
    ['two ECS services', (g) => void g.ecsServices?.push({ clusterName: 'prod', serviceName: 'other' }), 'InvalidECSServiceException', /more than one/],
    ['an ECS service without a cluster', (g) => void (g.ecsServices = [{ serviceName: 'x' }]), 'InvalidECSServiceException', /clusterName/],
    ['a service another group deploys', (g) => void (g.ecsServices = [{ clusterName: 'prod', serviceName: 'shared' }]), 'ECSServiceMappingLimitExceededException', /shared.*taken/],
    ['no load balancer info', (g) => void delete g.loadBalancerInfo, 'InvalidLoadBalancerInfoException', /targetGroupPairInfoList/],
    ['an ELB list', (g) => void (g.loadBalancerInfo = { ...g.loadBalancerInfo, elbInfoList: [{ name: 'classic' }] }), 'InvalidLoadBalancerInfoException', 'For ECS deployment group, loadBalancerInfo must not contain elbInfo list'],
    ['one target group', (g) => void (g.loadBalancerInfo = pair([{ name: 'a' }])), 'InvalidTargetGroupPairException', /exactly two target groups, not 1/],
    ['three target groups', (g) => void (g.loadBalancerInfo = pair([{ name: 'a' }, { name: 'b' }, { name: 'c' }])), 'InvalidTargetGroupPairException', /exactly two target groups, not 3/],
    ['the same target group twice', (g) => void (g.loadBalancerInfo = pair([{ name: 'a' }, { name: 'a' }])), 'InvalidTargetGroupPairException', 'Target group pair must have distinct target groups.'],
    ['no production listener', (g) => void (g.loadBalancerInfo = { targetGroupPairInfoList: [{ targetGroups: [{ name: 'a' }, { name: 'b' }] }] }), 'InvalidTargetGroupPairException', /prodTrafficRoute/],
    ['a green fleet option', (g) => void (g.blueGreenDeploymentConfiguration = { greenFleetProvisioningOption: { action: 'COPY_AUTO_SCALING_GROUP' } }), 'InvalidBlueGreenDeploymentConfigurationException', /greenFleetProvisioningOption/],
    ['a wait past two days', (g) => void (g.blueGreenDeploymentConfiguration = { deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 2881 } }), 'InvalidBlueGreenDeploymentConfigurationException', /0 to 2880/],
    ['a wait with CONTINUE_DEPLOYMENT', (g) => void (g.blueGreenDeploymentConfiguration = { deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT', waitTimeInMinutes: 30 } }), 'InvalidBlueGreenDeploymentConfigurationException', "Deployment ready action cannot be set to 'CONTINUE_DEPLOYMENT' when timeout is specified"],
    ['rollback enabled with no events', (g) => void (g.autoRollbackConfiguration = { enabled: true, events: [] }), 'InvalidAutoRollbackConfigException', /no event types/],
    ['alarms enabled with no alarm', (g) => void (g.alarmConfiguration = { enabled: true, alarms: [] }), 'InvalidAlarmConfigException', /no alarm is named/],
    ['eleven alarms', (g) => void (g.alarmConfiguration = { enabled: true, alarms: Array.from({ length: 11 }, (_, i) => ({ name: `a${i}` })) }), 'AlarmsLimitExceededException', /\(10\)/],
    ['an unknown deployment config', (g) => void (g.deploymentConfigName = 'Mine.Nope'), 'DeploymentConfigDoesNotExistException', /Mine\.Nope/],
    ['EC2 tag filters', (g) => void (g.ec2TagFilters = [{ Key: 'k', Value: 'v', Type: 'KEY_AND_VALUE' }]), 'InvalidEC2TagException', /ECS compute platform/],
    ['triggers', (g) => void (g.triggerConfigurations = [{ triggerName: 't', triggerTargetArn: 'arn:aws:sns:us-east-1:000000000000:t', triggerEvents: ['DeploymentFailure'] }]), 'InvalidTriggerConfigException', /not emulated by ecs-rollout/],
  ];
  for (const [what, change, name, message] of cases) {
    const input = ecsGroup(app, uniqueName('group'));
    change(input);
    await t.test(what, () => rejectsWith(codedeploy.send(new CreateDeploymentGroupCommand(input)), name, message));
  }
  // None of the refused requests left a group behind.
  assert.deepEqual((await codedeploy.send(new ListDeploymentGroupsCommand({ applicationName: app }))).deploymentGroups, ['taken']);
});

test('the predefined ECS deployment configs are listed and read, and cannot be deleted; custom ones are created, used and deleted', async (t) => {
  const { codedeploy } = await codeDeployFor(t);
  const predefined = {
    'CodeDeployDefault.ECSAllAtOnce': { type: 'AllAtOnce' },
    'CodeDeployDefault.ECSCanary10Percent15Minutes': { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: 15 } },
    'CodeDeployDefault.ECSCanary10Percent5Minutes': { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 } },
    'CodeDeployDefault.ECSLinear10PercentEvery1Minutes': { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 10, linearInterval: 1 } },
    'CodeDeployDefault.ECSLinear10PercentEvery3Minutes': { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 10, linearInterval: 3 } },
  };
  assert.deepEqual((await codedeploy.send(new ListDeploymentConfigsCommand({}))).deploymentConfigsList, Object.keys(predefined));
  for (const [name, routing] of Object.entries(predefined)) {
    const { deploymentConfigInfo: info } = await codedeploy.send(new GetDeploymentConfigCommand({ deploymentConfigName: name }));
    assert.equal(info?.computePlatform, 'ECS', name);
    assert.deepEqual(info?.trafficRoutingConfig, routing, name);
    assert.ok(info?.createTime instanceof Date, name);
    await rejectsWith(codedeploy.send(new DeleteDeploymentConfigCommand({ deploymentConfigName: name })), 'InvalidOperationException', /predefined configurations cannot be deleted/);
  }

  const canary = uniqueName('Canary20Percent2Minutes');
  const { deploymentConfigId } = await codedeploy.send(
    new CreateDeploymentConfigCommand({
      deploymentConfigName: canary,
      computePlatform: 'ECS',
      trafficRoutingConfig: { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 20, canaryInterval: 2 } },
    }),
  );
  const got = (await codedeploy.send(new GetDeploymentConfigCommand({ deploymentConfigName: canary }))).deploymentConfigInfo;
  assert.equal(got?.deploymentConfigId, deploymentConfigId);
  assert.deepEqual(got?.trafficRoutingConfig, { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 20, canaryInterval: 2 } });
  const allAtOnce = uniqueName('Plain');
  await codedeploy.send(new CreateDeploymentConfigCommand({ deploymentConfigName: allAtOnce, computePlatform: 'ECS' }));
  assert.deepEqual((await codedeploy.send(new GetDeploymentConfigCommand({ deploymentConfigName: allAtOnce }))).deploymentConfigInfo?.trafficRoutingConfig, { type: 'AllAtOnce' });
  assert.equal((await codedeploy.send(new ListDeploymentConfigsCommand({}))).deploymentConfigsList?.length, 7);

  await rejectsWith(codedeploy.send(new CreateDeploymentConfigCommand({ deploymentConfigName: canary, computePlatform: 'ECS' })), 'DeploymentConfigAlreadyExistsException', new RegExp(canary));
  await rejectsWith(codedeploy.send(new CreateDeploymentConfigCommand({ deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce', computePlatform: 'ECS' })), 'DeploymentConfigAlreadyExistsException', /ECSAllAtOnce/);
  const invalid: Array<[CreateDeploymentConfigInput, string, RegExp]> = [
    [{ deploymentConfigName: 'x', computePlatform: 'ECS', trafficRoutingConfig: { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 0, linearInterval: 1 } } }, 'InvalidTrafficRoutingConfigurationException', /linearPercentage/],
    [{ deploymentConfigName: 'x', computePlatform: 'ECS', trafficRoutingConfig: { type: 'TimeBasedCanary', timeBasedLinear: { linearPercentage: 10, linearInterval: 1 } } }, 'InvalidTrafficRoutingConfigurationException', /takes timeBasedCanary/],
    [{ deploymentConfigName: 'x', computePlatform: 'ECS', trafficRoutingConfig: { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: 0 } } }, 'InvalidTrafficRoutingConfigurationException', /canaryInterval/],
    [{ deploymentConfigName: 'x', computePlatform: 'ECS', minimumHealthyHosts: { type: 'HOST_COUNT', value: 1 } }, 'InvalidMinimumHealthyHostValueException', /ECS compute platform/],
    [{ deploymentConfigName: 'x', computePlatform: 'Lambda' }, 'InvalidComputePlatformException', /ecs-rollout emulator serves the ECS compute platform only, not Lambda/],
    [{ deploymentConfigName: '', computePlatform: 'ECS' }, 'DeploymentConfigNameRequiredException', /not specified/],
  ];
  for (const [input, name, message] of invalid) await rejectsWith(codedeploy.send(new CreateDeploymentConfigCommand(input)), name, message);
  await rejectsWith(codedeploy.send(new GetDeploymentConfigCommand({ deploymentConfigName: 'x' })), 'DeploymentConfigDoesNotExistException', /x does not exist/);

  // A config a group uses stays until the group lets go of it.
  const app = uniqueName('app');
  await codedeploy.send(new CreateApplicationCommand({ applicationName: app, computePlatform: 'ECS' }));
  await codedeploy.send(new CreateDeploymentGroupCommand({ ...ecsGroup(app, 'web'), deploymentConfigName: canary }));
  await rejectsWith(codedeploy.send(new DeleteDeploymentConfigCommand({ deploymentConfigName: canary })), 'DeploymentConfigInUseException', new RegExp(`${canary} is still in use`));
  await codedeploy.send(new DeleteDeploymentGroupCommand({ applicationName: app, deploymentGroupName: 'web' }));
  await codedeploy.send(new DeleteDeploymentConfigCommand({ deploymentConfigName: canary }));
  await rejectsWith(codedeploy.send(new GetDeploymentConfigCommand({ deploymentConfigName: canary })), 'DeploymentConfigDoesNotExistException', new RegExp(canary));
});

test('operations not emulated answer UnsupportedOperation; CreateDeployment checks its application', async (t) => {
  const { codedeploy } = await codeDeployFor(t);
  await rejectsWith(
    codedeploy.send(new ListDeploymentInstancesCommand({ deploymentId: 'd-AAAAAAAAA' })),
    'UnsupportedOperation',
    'CodeDeploy operation ListDeploymentInstances is not emulated by ecs-rollout; see docs/emulator-fidelity.md for what is.',
  );
  await rejectsWith(
    codedeploy.send(new CreateDeploymentCommand({ applicationName: 'app', deploymentGroupName: 'web' })),
    'ApplicationDoesNotExistException',
    'No application found for name: app',
  );
});

test('applications, groups and configs survive a restart, per account and region', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'codedeploy-state-'));
  const app = uniqueName('app');
  const config = uniqueName('Linear');
  const clientFor = (url: string, region = TEST_REGION) => new CodeDeployClient({ endpoint: url, region, credentials: TEST_CREDENTIALS, maxAttempts: 1 });

  const first = await startEmulator({ port: 0, stateDir: dir });
  const before = clientFor(first.url);
  try {
    await before.send(new CreateApplicationCommand({ applicationName: app, computePlatform: 'ECS' }));
    await before.send(new CreateDeploymentConfigCommand({ deploymentConfigName: config, computePlatform: 'ECS', trafficRoutingConfig: { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 25, linearInterval: 2 } } }));
    await before.send(new CreateDeploymentGroupCommand({ ...ecsGroup(app, 'web'), deploymentConfigName: config }));
  } finally {
    before.destroy();
    await first.close();
  }

  const second = await startEmulator({ port: 0, stateDir: dir });
  const after = clientFor(second.url);
  const elsewhere = clientFor(second.url, 'eu-west-1');
  t.after(async () => {
    after.destroy();
    elsewhere.destroy();
    await second.close();
    await rm(dir, { recursive: true, force: true });
  });
  const group = (await after.send(new GetDeploymentGroupCommand({ applicationName: app, deploymentGroupName: 'web' }))).deploymentGroupInfo;
  assert.equal(group?.deploymentConfigName, config);
  assert.ok((await after.send(new GetApplicationCommand({ applicationName: app }))).application?.createTime instanceof Date);
  assert.deepEqual((await after.send(new GetDeploymentConfigCommand({ deploymentConfigName: config }))).deploymentConfigInfo?.trafficRoutingConfig, {
    type: 'TimeBasedLinear',
    timeBasedLinear: { linearPercentage: 25, linearInterval: 2 },
  });
  // Another region holds none of it.
  assert.deepEqual((await elsewhere.send(new ListApplicationsCommand({}))).applications, []);
});

test('the AWS CLI creates an ECS application and deployment group and reads them back', async (t) => {
  const reason = await missing('aws', ['--version']);
  if (reason) return t.skip(reason);
  const { emulator } = await startTestEmulator(t);
  const app = uniqueName('cli-app');
  const aws = async (...args: string[]) => {
    const { stdout } = await run('aws', ['--endpoint-url', emulator.url, '--output', 'json', ...args], { env: clientEnv(emulator.url), timeout: 30_000 });
    return JSON.parse(stdout || '{}') as Record<string, unknown>;
  };
  await aws('deploy', 'create-application', '--application-name', app, '--compute-platform', 'ECS');
  const group = ecsGroup(app, 'web');
  await aws('deploy', 'create-deployment-group', '--cli-input-json', JSON.stringify(group));
  const read = (await aws('deploy', 'get-deployment-group', '--application-name', app, '--deployment-group-name', 'web')) as {
    deploymentGroupInfo: { computePlatform: string; ecsServices: unknown; loadBalancerInfo: unknown; deploymentConfigName: string };
  };
  assert.equal(read.deploymentGroupInfo.computePlatform, 'ECS');
  assert.deepEqual(read.deploymentGroupInfo.ecsServices, group.ecsServices);
  assert.deepEqual(read.deploymentGroupInfo.loadBalancerInfo, group.loadBalancerInfo);
  assert.equal(read.deploymentGroupInfo.deploymentConfigName, 'CodeDeployDefault.ECSCanary10Percent5Minutes');
  const apps = (await aws('deploy', 'list-applications')) as { applications: string[] };
  assert.deepEqual(apps.applications, [app]);
  const got = (await aws('deploy', 'get-application', '--application-name', app)) as { application: { computePlatform: string } };
  assert.equal(got.application.computePlatform, 'ECS');
  await assert.rejects(
    aws('deploy', 'get-application', '--application-name', `${app}-missing`),
    /ApplicationDoesNotExistException.*No application found for name: /s,
  );
});

test('boto3 creates an ECS application and deployment group and reads them back', async (t) => {
  const reason = await missing('python3', ['-c', 'import boto3']);
  if (reason) return t.skip('python3 with boto3 is not installed here; install it to run this test');
  const { emulator } = await startTestEmulator(t);
  const app = uniqueName('boto-app');
  const script = `
import boto3, json, sys
app, group = sys.argv[1], json.loads(sys.argv[2])
cd = boto3.client('codedeploy')
cd.create_application(applicationName=app, computePlatform='ECS')
cd.create_deployment_group(**group)
info = cd.get_deployment_group(applicationName=app, deploymentGroupName='web')['deploymentGroupInfo']
names = [n for page in cd.get_paginator('list_deployment_groups').paginate(applicationName=app) for n in page['deploymentGroups']]
configs = [n for page in cd.get_paginator('list_deployment_configs').paginate() for n in page['deploymentConfigsList']]
try:
    cd.create_deployment_group(**group)
    err = None
except cd.exceptions.DeploymentGroupAlreadyExistsException as e:
    err = e.response['Error']['Code']
print(json.dumps({'platform': info['computePlatform'], 'style': info['deploymentStyle'], 'pairs': info['loadBalancerInfo']['targetGroupPairInfoList'], 'groups': names, 'configs': configs, 'error': err}))
`;
  const group = ecsGroup(app, 'web');
  const { stdout } = await run('python3', ['-c', script, app, JSON.stringify(group)], { env: clientEnv(emulator.url), timeout: 30_000 });
  const out = JSON.parse(stdout) as { platform: string; style: unknown; pairs: unknown; groups: string[]; configs: string[]; error: string | null };
  assert.equal(out.platform, 'ECS');
  assert.deepEqual(out.style, group.deploymentStyle);
  assert.deepEqual(out.pairs, group.loadBalancerInfo?.targetGroupPairInfoList);
  assert.deepEqual(out.groups, ['web']);
  assert.ok(out.configs.includes('CodeDeployDefault.ECSLinear10PercentEvery3Minutes'));
  assert.equal(out.error, 'DeploymentGroupAlreadyExistsException');
});
