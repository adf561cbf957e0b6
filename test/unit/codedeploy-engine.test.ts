import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeploymentConfigInfo, DeploymentGroupInfo, DeploymentInfo, ECSTarget } from '@aws-sdk/client-codedeploy';
import type { LoadBalancer, Service, Tag, TaskDefinition } from '@aws-sdk/client-ecs';
import { appSpecTaskDefinition, assembleCodeDeployHistory, codeDeployOutcome } from '../../src/engine/codedeploy/history.js';
import {
  codeDeployAnalysisVariables, inTerminationWait, greenWeight, judgeDeployment, lifecycleChanges, taskSetsOf, type CodeDeployVerdict,
} from '../../src/engine/codedeploy/observation.js';
import { appSpecFor, checkExistingConfig, checkGroup, chooseConfig, trafficContainer, type ConfigChoice } from '../../src/engine/codedeploy/plan.js';
import { RELEASE_TAG_KEYS } from '../../src/engine/release-tags.js';
import { RolloutError, type RolloutErrorCode } from '../../src/spec/errors.js';
import type { Gate, StrategyConfig, StrategyName } from '../../src/spec/strategy.js';

const TD = (n: number) => `arn:aws:ecs:us-east-1:111122223333:task-definition/web:${n}`;
const TG = (name: string, id: string) => `arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/${name}/${id}`;
const TEST_LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/web-alb/50dc6c495c0c9188/f2f7dc8efc522ab2';

/** Asserts `action` throws a RolloutError with this code whose message matches. */
function refuses(action: () => unknown, code: RolloutErrorCode, message: RegExp, label: string): void {
  assert.throws(
    action,
    (err: unknown) => {
      assert.ok(err instanceof RolloutError, `${label}: not a RolloutError: ${String(err)}`);
      assert.equal(err.code, code, `${label}: ${err.message}`);
      assert.match(err.message, message, label);
      return true;
    },
    label,
  );
}

// ---------------------------------------------------------------- plan.ts

test('chooseConfig: the configuration each strategy deploys with', () => {
  const cases: Array<[string, StrategyName | undefined, StrategyConfig | undefined, ConfigChoice]> = [
    ['no strategy: the group\'s own', undefined, undefined,
      { name: undefined, routing: undefined, describe: "the deployment group's deployment configuration" }],
    ['blue-green: the group\'s own', 'blue-green', { canary: { percent: 10, bake: '5m' } },
      { name: undefined, routing: undefined, describe: "the deployment group's deployment configuration" }],
    ['explicit config wins over canary', 'canary', { canary: { percent: 2.5, bake: '90s' }, codeDeploy: { deploymentConfig: 'MyConfig' } },
      { name: 'MyConfig', routing: undefined, describe: 'deployment configuration MyConfig' }],
    ['explicit config wins over blue-green', 'blue-green', { codeDeploy: { deploymentConfig: 'CodeDeployDefault.ECSAllAtOnce' } },
      { name: 'CodeDeployDefault.ECSAllAtOnce', routing: undefined, describe: 'deployment configuration CodeDeployDefault.ECSAllAtOnce' }],
    ['canary 10% / 5m: predefined', 'canary', { canary: { percent: 10, bake: '5m' } },
      { name: 'CodeDeployDefault.ECSCanary10Percent5Minutes', routing: undefined, describe: 'canary 10% for 5m, then 100%' }],
    ['canary 10% / 15m: predefined', 'canary', { canary: { percent: 10, bake: '15m' } },
      { name: 'CodeDeployDefault.ECSCanary10Percent15Minutes', routing: undefined, describe: 'canary 10% for 15m, then 100%' }],
    ['canary 10% / 1h: named after its settings', 'canary', { canary: { percent: 10, bake: '1h' } },
      { name: 'EcsRollout.Canary10Percent60Minutes', routing: { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: 60 } }, describe: 'canary 10% for 60m, then 100%' }],
    ['canary 20% / 5m: named after its settings', 'canary', { canary: { percent: 20, bake: '5m' } },
      { name: 'EcsRollout.Canary20Percent5Minutes', routing: { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 20, canaryInterval: 5 } }, describe: 'canary 20% for 5m, then 100%' }],
    ['canary defaults: ECS\'s 5% for 10m', 'canary', undefined,
      { name: 'EcsRollout.Canary5Percent10Minutes', routing: { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 5, canaryInterval: 10 } }, describe: 'canary 5% for 10m, then 100%' }],
    ['canary percent alone keeps the default bake', 'canary', { canary: { percent: 10 } },
      { name: 'EcsRollout.Canary10Percent10Minutes', routing: { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: 10 } }, describe: 'canary 10% for 10m, then 100%' }],
    ['linear 10% / 1m: predefined', 'linear', { linear: { stepPercent: 10, stepBake: '1m' } },
      { name: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes', routing: undefined, describe: 'linear 10% every 1m' }],
    ['linear 10% / 3m: predefined', 'linear', { linear: { stepPercent: 10, stepBake: '180s' } },
      { name: 'CodeDeployDefault.ECSLinear10PercentEvery3Minutes', routing: undefined, describe: 'linear 10% every 3m' }],
    ['linear defaults: ECS\'s 10% every 6m', 'linear', undefined,
      { name: 'EcsRollout.Linear10PercentEvery6Minutes', routing: { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 10, linearInterval: 6 } }, describe: 'linear 10% every 6m' }],
    ['linear 25% / 2m: named after its settings', 'linear', { linear: { stepPercent: 25, stepBake: '2m' } },
      { name: 'EcsRollout.Linear25PercentEvery2Minutes', routing: { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 25, linearInterval: 2 } }, describe: 'linear 25% every 2m' }],
    ['linear 20% / 1m is not the predefined 10%', 'linear', { linear: { stepPercent: 20, stepBake: '1m' } },
      { name: 'EcsRollout.Linear20PercentEvery1Minutes', routing: { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 20, linearInterval: 1 } }, describe: 'linear 20% every 1m' }],
  ];
  for (const [label, strategy, config, expected] of cases) {
    assert.deepEqual(chooseConfig(strategy, config), expected, label);
  }
});

test('chooseConfig: what CodeDeploy cannot do is refused, naming the field', () => {
  const cases: Array<[string, StrategyName, StrategyConfig | undefined, RolloutErrorCode, RegExp]> = [
    ['rolling', 'rolling', undefined, 'InvalidConfig', /cannot do a rolling update: CodeDeploy deploys blue\/green; use --strategy blue-green, canary or linear/],
    ['canary percent 2.5', 'canary', { canary: { percent: 2.5, bake: '5m' } }, 'InvalidConfig', /^strategy\.canary\.percent: CodeDeploy shifts whole percentages; 2\.5 is not one$/],
    ['canary bake 90s', 'canary', { canary: { percent: 10, bake: '90s' } }, 'InvalidConfig', /^strategy\.canary\.bake: CodeDeploy counts intervals in whole minutes; 90s is not a whole number of minutes$/],
    ['canary bake 30s with the default percent', 'canary', { canary: { bake: '30s' } }, 'InvalidConfig', /^strategy\.canary\.bake: .*30s is not a whole number of minutes$/],
    ['linear step 12.5%', 'linear', { linear: { stepPercent: 12.5, stepBake: '1m' } }, 'InvalidConfig', /^strategy\.linear\.stepPercent: CodeDeploy shifts whole percentages; 12\.5 is not one$/],
    ['linear bake 1m30s', 'linear', { linear: { stepPercent: 10, stepBake: '1m30s' } }, 'InvalidConfig', /^strategy\.linear\.stepBake: CodeDeploy counts intervals in whole minutes; 1m30s is not a whole number of minutes$/],
    ['canary percent 100', 'canary', { canary: { percent: 100, bake: '5m' } }, 'InvalidConfig', /^strategy\.canary\.percent: CodeDeploy shifts 1 to 99 percent in a step, not 100/],
    ['linear step 100%', 'linear', { linear: { stepPercent: 100, stepBake: '1m' } }, 'InvalidConfig', /^strategy\.linear\.stepPercent: CodeDeploy shifts 1 to 99 percent/],
    ['canary bake 0m', 'canary', { canary: { percent: 10, bake: '0m' } }, 'InvalidConfig', /^strategy\.canary\.bake: CodeDeploy's interval is at least 1 minute, not 0m$/],
    ['rolling with a named configuration', 'rolling', { codeDeploy: { deploymentConfig: 'Mine' } }, 'InvalidConfig', /cannot do a rolling update/],
  ];
  for (const [label, strategy, config, code, message] of cases) {
    refuses(() => chooseConfig(strategy, config), code, message, label);
  }
});

test('checkExistingConfig: a configuration found under the chosen name must route as the file says', () => {
  const canary = chooseConfig('canary', { canary: { percent: 20, bake: '5m' } });
  const linear = chooseConfig('linear', { linear: { stepPercent: 25, stepBake: '2m' } });
  const found = (routing: DeploymentConfigInfo['trafficRoutingConfig']): DeploymentConfigInfo => ({
    deploymentConfigName: 'whatever', computePlatform: 'ECS', trafficRoutingConfig: routing,
  });

  checkExistingConfig(canary, found({ type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 20, canaryInterval: 5 } }));
  checkExistingConfig(linear, found({ type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 25, linearInterval: 2 } }));
  // Nothing to compare: a predefined or explicit configuration, or the group's own.
  checkExistingConfig(chooseConfig('canary', { canary: { percent: 10, bake: '5m' } }), found({ type: 'AllAtOnce' }));
  checkExistingConfig(chooseConfig('canary', { codeDeploy: { deploymentConfig: 'Mine' } }), found({ type: 'AllAtOnce' }));
  checkExistingConfig(chooseConfig('blue-green', undefined), found(undefined));
  assert.throws(
    () => checkExistingConfig(chooseConfig('canary', { codeDeploy: { deploymentConfig: 'CodeDeployDefault.AllAtOnce' } }), { deploymentConfigName: 'CodeDeployDefault.AllAtOnce', computePlatform: 'Server' }),
    /deployment configuration CodeDeployDefault\.AllAtOnce is for Server, not ECS/,
  );

  const refused: Array<[string, ConfigChoice, DeploymentConfigInfo, RegExp]> = [
    ['other canary percent', canary, found({ type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 } }), /"canaryPercentage":10/],
    ['other canary interval', canary, found({ type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 20, canaryInterval: 6 } }), /"canaryInterval":6/],
    ['linear where canary is wanted', canary, found({ type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 20, linearInterval: 5 } }), /TimeBasedLinear/],
    ['all at once', linear, found({ type: 'AllAtOnce' }), /\{"type":"AllAtOnce"\}/],
    ['other linear step', linear, found({ type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 10, linearInterval: 2 } }), /"linearPercentage":10/],
    ['no routing at all', linear, found(undefined), /differently \(\{\}\)/],
  ];
  for (const [label, choice, info, detail] of refused) {
    refuses(() => checkExistingConfig(choice, info), 'PreflightFailed',
      new RegExp(`^preflight failed: deployment configuration ${choice.name!.replace(/\./g, '\\.')} exists but routes traffic differently .*delete it or name another with strategy\\.codeDeploy\\.deploymentConfig$`), label);
    refuses(() => checkExistingConfig(choice, info), 'PreflightFailed', detail, `${label}: shows what it found`);
  }
});

const GATE = (name: string, stage: Gate['stage']): Gate => ({
  name, stage, check: { kind: 'http', url: 'http://localhost/health', expectStatus: 200, timeoutMs: 1000, retries: 0, intervalMs: 1000 },
});

function group(fields: Partial<DeploymentGroupInfo> = {}): DeploymentGroupInfo {
  return {
    applicationName: 'web-app', deploymentGroupName: 'web-dg', computePlatform: 'ECS',
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    blueGreenDeploymentConfiguration: {
      deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 30 },
      terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 5 },
    },
    ...fields,
  };
}

test('checkGroup: a BLUE_GREEN ECS group passes; gates need STOP_DEPLOYMENT and a waiting stage', () => {
  const gates = [GATE('smoke', 'POST_TEST_TRAFFIC_SHIFT'), GATE('latency', 'PRE_PRODUCTION_TRAFFIC_SHIFT')];
  checkGroup(group(), 'web-app/web-dg', gates);
  checkGroup(group({ computePlatform: undefined }), 'web-app/web-dg', gates);
  // Without gates nothing has to wait: CONTINUE_DEPLOYMENT, or no ready option at all, is fine.
  checkGroup(group({ blueGreenDeploymentConfiguration: { deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT' } } }), 'web-app/web-dg', []);
  checkGroup(group({ blueGreenDeploymentConfiguration: undefined }), 'web-app/web-dg', []);

  const continuing = group({ blueGreenDeploymentConfiguration: { deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT', waitTimeInMinutes: 0 } } });
  const cases: Array<[string, DeploymentGroupInfo, Gate[], RolloutErrorCode, RegExp]> = [
    ['a Server group', group({ computePlatform: 'Server' }), [], 'PreflightFailed', /^preflight failed: deployment group web-app\/web-dg is for Server, not ECS$/],
    ['IN_PLACE', group({ deploymentStyle: { deploymentType: 'IN_PLACE', deploymentOption: 'WITH_TRAFFIC_CONTROL' } }), [], 'PreflightFailed',
      /^preflight failed: deployment group web-app\/web-dg must deploy BLUE_GREEN WITH_TRAFFIC_CONTROL \(deploymentStyle\)/],
    ['without traffic control', group({ deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITHOUT_TRAFFIC_CONTROL' } }), [], 'PreflightFailed', /must deploy BLUE_GREEN WITH_TRAFFIC_CONTROL/],
    ['no deployment style', group({ deploymentStyle: undefined }), [], 'PreflightFailed', /must deploy BLUE_GREEN WITH_TRAFFIC_CONTROL/],
    ['gates at other stages', group(), [GATE('smoke', 'POST_TEST_TRAFFIC_SHIFT'), GATE('warm', 'POST_SCALE_UP'), GATE('after', 'POST_PRODUCTION_TRAFFIC_SHIFT')], 'InvalidConfig',
      /^strategy\.gates: warm at POST_SCALE_UP, after at POST_PRODUCTION_TRAFFIC_SHIFT: .*their stage must be POST_TEST_TRAFFIC_SHIFT or PRE_PRODUCTION_TRAFFIC_SHIFT$/],
    ['gates on a group that does not wait', continuing, gates, 'PreflightFailed',
      /^preflight failed: deployment group web-app\/web-dg reroutes production traffic without waiting \(deploymentReadyOption CONTINUE_DEPLOYMENT\), so the gates smoke, latency would have no time to run; set blueGreenDeploymentConfiguration\.deploymentReadyOption to STOP_DEPLOYMENT/],
    ['gates on a group with no ready option', group({ blueGreenDeploymentConfiguration: undefined }), [GATE('smoke', 'POST_TEST_TRAFFIC_SHIFT')], 'PreflightFailed',
      /deploymentReadyOption CONTINUE_DEPLOYMENT\), so the gates smoke would have no time to run.*STOP_DEPLOYMENT/],
  ];
  for (const [label, info, gateList, code, message] of cases) {
    refuses(() => checkGroup(info, 'web-app/web-dg', gateList), code, message, label);
  }
});

test('trafficContainer: the first load balancer entry with a container name and port', () => {
  const lbs: LoadBalancer[] = [
    { targetGroupArn: TG('blue', '1') },
    { targetGroupArn: TG('blue', '1'), containerName: 'web', containerPort: 8080 },
    { targetGroupArn: TG('other', '2'), containerName: 'sidecar', containerPort: 9000 },
  ];
  assert.deepEqual(trafficContainer(lbs, 'web'), { container: 'web', port: 8080 });
  const message = /^preflight failed: service web-svc has no load balancer with a container name and port; CodeDeploy blue\/green needs one$/;
  refuses(() => trafficContainer([], 'web-svc'), 'PreflightFailed', message, 'no load balancers');
  refuses(() => trafficContainer([{ containerName: 'web' }, { containerPort: 80 }], 'web-svc'), 'PreflightFailed', message, 'no entry has both');
});

test('appSpecFor: without a file, one generated from the release', () => {
  const text = appSpecFor(undefined, { taskDefinitionArn: TD(7), container: 'web', port: 8080 });
  assert.match(text, /^ {2}"version": 0\.0,$/m, 'the version as AppSpec writes it');
  assert.deepEqual(JSON.parse(text), {
    version: 0,
    Resources: [{ TargetService: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: TD(7), LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 8080 } } } }],
  });
});

test('appSpecFor: a file keeps its hooks and properties, with the task definition replaced', () => {
  const release = { taskDefinitionArn: TD(8), container: 'web', port: 8080 };
  const yaml = [
    'version: 0.0',
    'Resources:',
    '  - TargetService:',
    '      Type: AWS::ECS::Service',
    '      Properties:',
    '        TaskDefinition: <TASK_DEFINITION>',
    '        LoadBalancerInfo:',
    '          ContainerName: web',
    '          ContainerPort: 8080',
    '        PlatformVersion: LATEST',
    'Hooks:',
    '  - BeforeInstall: web-before-install',
    '  - AfterAllowTestTraffic: arn:aws:lambda:us-east-1:111122223333:function:web-smoke',
  ].join('\n');
  assert.deepEqual(JSON.parse(appSpecFor({ path: 'appspec.yaml', text: yaml }, release)), {
    version: 0,
    Resources: [{ TargetService: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: TD(8), LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 8080 }, PlatformVersion: 'LATEST' } } }],
    Hooks: [{ BeforeInstall: 'web-before-install' }, { AfterAllowTestTraffic: 'arn:aws:lambda:us-east-1:111122223333:function:web-smoke' }],
  });

  // JSON naming an old ARN, without LoadBalancerInfo: the ARN is replaced and LoadBalancerInfo added.
  const json = JSON.stringify({ version: 0.0, Resources: [{ Svc: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: TD(3) } } }] });
  assert.deepEqual(JSON.parse(appSpecFor({ path: 'appspec.json', text: json }, release)).Resources, [
    { Svc: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: TD(8), LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 8080 } } } },
  ]);

  // A port written as a string still agrees with the service's.
  const quoted = 'Resources:\n  - T:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: x\n        LoadBalancerInfo: { ContainerName: web, ContainerPort: "8080" }\n';
  assert.equal(JSON.parse(appSpecFor({ path: 'a.yaml', text: quoted }, release)).Resources[0].T.Properties.TaskDefinition, TD(8));
});

test('appSpecFor: files it cannot send are refused, naming the file', () => {
  const release = { taskDefinitionArn: TD(8), container: 'web', port: 8080 };
  const service = (properties: string) => `Resources:\n  - T:\n      Type: AWS::ECS::Service\n      Properties:\n${properties}`;
  const cases: Array<[string, string, RegExp]> = [
    ['not YAML', 'Resources: [\n  - {', /^strategy\.codeDeploy\.appSpec: deploy\/appspec\.yaml is not YAML or JSON: /],
    ['not JSON', '{"Resources": [', /^strategy\.codeDeploy\.appSpec: deploy\/appspec\.yaml is not YAML or JSON: /],
    ['empty', '', /^strategy\.codeDeploy\.appSpec: deploy\/appspec\.yaml must have Resources with exactly one AWS::ECS::Service entry$/],
    ['a list', '- a\n- b\n', /deploy\/appspec\.yaml must have Resources with exactly one AWS::ECS::Service entry$/],
    ['no Resources', 'version: 0.0\n', /deploy\/appspec\.yaml must have Resources with exactly one AWS::ECS::Service entry$/],
    ['no entries', 'Resources: []\n', /deploy\/appspec\.yaml must have Resources with exactly one AWS::ECS::Service entry$/],
    ['Resources a mapping', 'Resources:\n  T:\n    Type: AWS::ECS::Service\n', /deploy\/appspec\.yaml must have Resources with exactly one AWS::ECS::Service entry$/],
    ['two services', 'Resources:\n  - A: { Type: AWS::ECS::Service, Properties: {} }\n  - B: { Type: AWS::ECS::Service, Properties: {} }\n',
      /deploy\/appspec\.yaml must have Resources with exactly one AWS::ECS::Service entry$/],
    ['another type', 'Resources:\n  - F: { Type: AWS::Lambda::Function, Properties: { Name: f } }\n',
      /deploy\/appspec\.yaml must have Resources with exactly one AWS::ECS::Service entry with Properties$/],
    ['no Properties', 'Resources:\n  - T: { Type: AWS::ECS::Service }\n', /deploy\/appspec\.yaml must have Resources with exactly one AWS::ECS::Service entry with Properties$/],
    ['entry not a mapping', 'Resources:\n  - TargetService\n', /deploy\/appspec\.yaml must have Resources with exactly one AWS::ECS::Service entry with Properties$/],
    ['another container', service('        LoadBalancerInfo: { ContainerName: proxy, ContainerPort: 8080 }\n'),
      /^strategy\.codeDeploy\.appSpec: deploy\/appspec\.yaml has LoadBalancerInfo \{"ContainerName":"proxy","ContainerPort":8080\}, but the service sends traffic to container web port 8080; make them agree or leave LoadBalancerInfo out$/],
    ['another port', service('        LoadBalancerInfo: { ContainerName: web, ContainerPort: 80 }\n'), /deploy\/appspec\.yaml has LoadBalancerInfo .*"ContainerPort":80\}, but the service sends traffic to container web port 8080/],
    ['no port', service('        LoadBalancerInfo: { ContainerName: web }\n'), /deploy\/appspec\.yaml has LoadBalancerInfo \{"ContainerName":"web"\}/],
    ['LoadBalancerInfo not a mapping', service('        LoadBalancerInfo: web:8080\n'), /deploy\/appspec\.yaml has LoadBalancerInfo "web:8080"/],
  ];
  for (const [label, text, message] of cases) {
    refuses(() => appSpecFor({ path: 'deploy/appspec.yaml', text }, release), 'InvalidConfig', message, label);
  }
});

// ---------------------------------------------------------------- observation.ts

test('judgeDeployment: how a CodeDeploy deployment ended, in the engine\'s terms', () => {
  const base: DeploymentInfo = { deploymentId: 'd-ORIGINAL1', applicationName: 'web-app', deploymentGroupName: 'web-dg' };
  const cases: Array<[string, DeploymentInfo, { gateRollback?: string }, CodeDeployVerdict]> = [
    ['succeeded', { status: 'Succeeded' }, {}, { kind: 'completed' }],
    ['succeeded, even with a gate rollback noted', { status: 'Succeeded' }, { gateRollback: 'gate smoke failed' }, { kind: 'completed' }],
    ['failed and rolled back',
      { status: 'Failed', errorInformation: { code: 'HEALTH_CONSTRAINTS', message: 'tasks failed health checks' }, rollbackInfo: { rollbackDeploymentId: 'd-ROLLBACK1', rollbackMessage: 'rolled back' } }, {},
      { kind: 'rolled-back', reason: 'tasks failed health checks', rollbackDeploymentId: 'd-ROLLBACK1' }],
    // A rollback message alone may say the rollback could not be done.
    ['failed, a rollback message but no rollback deployment',
      { status: 'Failed', errorInformation: { code: 'HOOK_EXECUTION_FAILURE' }, rollbackInfo: { rollbackMessage: 'rollback not possible' } }, {},
      { kind: 'failed', reason: 'HOOK_EXECUTION_FAILURE' }],
    ['failed, not rolled back', { status: 'Failed', errorInformation: { code: 'INTERNAL_ERROR', message: 'boom' } }, {}, { kind: 'failed', reason: 'boom' }],
    ['failed with no error information', { status: 'Failed' }, {}, { kind: 'failed', reason: 'the deployment ended Failed' }],
    ['stopped by a person, rolled back',
      { status: 'Stopped', errorInformation: { code: 'MANUAL_STOP', message: 'stopped by user' }, rollbackInfo: { rollbackDeploymentId: 'd-ROLLBACK2' } }, {},
      { kind: 'aborted', reason: 'stopped by user', rolledBack: true, rollbackDeploymentId: 'd-ROLLBACK2' }],
    ['stopped by a person, left as it was', { status: 'Stopped', errorInformation: { code: 'MANUAL_STOP', message: 'stopped by user' } }, {},
      { kind: 'aborted', reason: 'stopped by user', rolledBack: false, rollbackDeploymentId: undefined }],
    ['stopped with no error code', { status: 'Stopped' }, {},
      { kind: 'aborted', reason: 'the deployment ended Stopped', rolledBack: false, rollbackDeploymentId: undefined }],
    ['stopped by the follower for a gate',
      { status: 'Stopped', errorInformation: { code: 'MANUAL_STOP', message: 'stopped by user' }, rollbackInfo: { rollbackDeploymentId: 'd-ROLLBACK3' } },
      { gateRollback: 'gate smoke failed: HTTP 500' },
      { kind: 'rolled-back', reason: 'gate smoke failed: HTTP 500', rollbackDeploymentId: 'd-ROLLBACK3' }],
    ['stopped by an alarm, rolled back',
      { status: 'Stopped', errorInformation: { code: 'ALARM_ACTIVE', message: 'alarm web-5xx is in ALARM' }, rollbackInfo: { rollbackDeploymentId: 'd-ROLLBACK4' } }, {},
      { kind: 'rolled-back', reason: 'alarm web-5xx is in ALARM', rollbackDeploymentId: 'd-ROLLBACK4' }],
    ['stopped by an alarm, not rolled back', { status: 'Stopped', errorInformation: { code: 'ALARM_ACTIVE', message: 'alarm web-5xx is in ALARM' } }, {},
      { kind: 'failed', reason: 'alarm web-5xx is in ALARM' }],
    ['stopped when the ready wait ran out, rolled back',
      { status: 'Stopped', errorInformation: { code: 'TIMEOUT' }, rollbackInfo: { rollbackDeploymentId: 'd-ROLLBACK5' } }, {},
      { kind: 'rolled-back', reason: 'TIMEOUT', rollbackDeploymentId: 'd-ROLLBACK5' }],
    ['in progress', { status: 'InProgress' }, {}, { kind: 'in-progress' }],
    ['ready', { status: 'Ready' }, {}, { kind: 'in-progress' }],
    ['created', { status: 'Created' }, { gateRollback: 'gate smoke failed' }, { kind: 'in-progress' }],
    ['baking', { status: 'Baking' }, {}, { kind: 'in-progress' }],
    ['no status yet', {}, {}, { kind: 'in-progress' }],
  ];
  for (const [label, fields, tracking, verdict] of cases) {
    assert.deepEqual(judgeDeployment({ ...base, ...fields }, tracking), verdict, label);
  }
});

test('taskSetsOf: the target\'s task sets, Blue before Green, read from the SDK\'s identifer', () => {
  const target: ECSTarget = {
    deploymentId: 'd-ORIGINAL1',
    taskSetsInfo: [
      { identifer: 'ecs-svc/2222', taskSetLabel: 'Green', desiredCount: 2, runningCount: 1, pendingCount: 1, trafficWeight: 10, targetGroup: { name: 'web-green' }, status: 'ACTIVE' },
      { identifer: 'ecs-svc/1111', taskSetLabel: 'Blue', desiredCount: 2, runningCount: 2, pendingCount: 0, trafficWeight: 90, targetGroup: { name: 'web-blue' }, status: 'PRIMARY' },
    ],
  };
  const sets = taskSetsOf(target);
  assert.deepEqual(sets, [
    { label: 'Blue', id: 'ecs-svc/1111', targetGroup: 'web-blue', desired: 2, running: 2, pending: 0, trafficWeight: 90 },
    { label: 'Green', id: 'ecs-svc/2222', targetGroup: 'web-green', desired: 2, running: 1, pending: 1, trafficWeight: 10 },
  ]);
  assert.equal(greenWeight(sets), 10);
  assert.deepEqual(taskSetsOf({ taskSetsInfo: [{ taskSetLabel: 'Blue' }] }), [
    { label: 'Blue', id: '', targetGroup: undefined, desired: 0, running: 0, pending: 0, trafficWeight: 0 },
  ], 'missing counts read as 0');
  assert.deepEqual(taskSetsOf(undefined), []);
  assert.deepEqual(taskSetsOf({}), []);
});

test('greenWeight: the replacement\'s production percentage; 0 before it exists', () => {
  const set = (label: string, trafficWeight: number) => ({ label, id: label, targetGroup: undefined, desired: 1, running: 1, pending: 0, trafficWeight });
  assert.equal(greenWeight([set('Blue', 0), set('Green', 100)]), 100);
  assert.equal(greenWeight([set('Blue', 100)]), 0);
  assert.equal(greenWeight([]), 0);
});

test('lifecycleChanges: only events whose status changed, in CodeDeploy\'s order; Pending ones are not news', () => {
  const target: ECSTarget = {
    lifecycleEvents: [
      { lifecycleEventName: 'BeforeInstall', status: 'Succeeded' },
      { lifecycleEventName: 'Install', status: 'Succeeded' },
      { lifecycleEventName: 'AfterInstall', status: 'Failed', diagnostics: { errorCode: 'ScriptFailed', message: 'hook web-after-install returned Failed' } },
      { lifecycleEventName: 'AllowTestTraffic', status: 'Skipped', diagnostics: { errorCode: 'UnknownError' } },
      { lifecycleEventName: 'AfterAllowTestTraffic', status: 'Pending' },
      { lifecycleEventName: 'BeforeAllowTraffic' },
      { status: 'InProgress' },
    ],
  };
  const seen = new Map([['BeforeInstall', 'Succeeded'], ['Install', 'InProgress']]);
  assert.deepEqual(lifecycleChanges(target, seen), [
    { name: 'Install', status: 'Succeeded', diagnostics: undefined },
    { name: 'AfterInstall', status: 'Failed', diagnostics: 'hook web-after-install returned Failed' },
    { name: 'AllowTestTraffic', status: 'Skipped', diagnostics: 'UnknownError' },
    { name: 'BeforeAllowTraffic', status: 'Unknown', diagnostics: undefined },
  ]);
  const all = new Map([['BeforeInstall', 'Succeeded'], ['Install', 'Succeeded'], ['AfterInstall', 'Failed'], ['AllowTestTraffic', 'Skipped'], ['BeforeAllowTraffic', 'Unknown']]);
  assert.deepEqual(lifecycleChanges(target, all), [], 'nothing changed');
  assert.deepEqual(lifecycleChanges(undefined, new Map()), []);
});

test('codeDeployAnalysisVariables: the replacement is this deployment\'s task set, the original the PRIMARY one', () => {
  const service: Service = {
    serviceName: 'web',
    taskSets: [
      { id: 'ecs-svc/1111', externalId: 'd-PREVIOUS', status: 'PRIMARY', taskDefinition: TD(4), loadBalancers: [{ targetGroupArn: TG('web-blue', '6d0ecf831eec9f09'), containerName: 'web', containerPort: 8080 }] },
      { id: 'ecs-svc/3333', externalId: 'd-OLDER', status: 'ACTIVE', taskDefinition: TD(3), loadBalancers: [{ targetGroupArn: TG('web-old', '0000000000000000') }] },
      { id: 'ecs-svc/2222', externalId: 'd-ORIGINAL1', status: 'ACTIVE', taskDefinition: TD(5), loadBalancers: [{ targetGroupArn: TG('web-green', '7e1fdf942ffe0a10'), containerName: 'web', containerPort: 8080 }] },
    ],
  };
  assert.deepEqual(codeDeployAnalysisVariables({ cluster: 'prod', service, deploymentId: 'd-ORIGINAL1', testListener: TEST_LISTENER }), {
    cluster: 'prod',
    service: 'web',
    'canary.service': 'web',
    'stable.service': 'web',
    step: '1',
    'canary.weight': '0',
    stage: 'POST_TEST_TRAFFIC_SHIFT',
    'canary.taskDefinition': TD(5),
    'stable.taskDefinition': TD(4),
    'canary.targetGroup': 'targetgroup/web-green/7e1fdf942ffe0a10',
    'stable.targetGroup': 'targetgroup/web-blue/6d0ecf831eec9f09',
    loadBalancer: 'app/web-alb/50dc6c495c0c9188',
  });

  // No task set carries the deployment id: the ACTIVE one; no test listener: no loadBalancer.
  const fallback = codeDeployAnalysisVariables({
    cluster: 'prod',
    service: { serviceName: 'web', taskSets: [service.taskSets![0]!, service.taskSets![1]!] },
    deploymentId: 'd-UNKNOWN',
    testListener: undefined,
  });
  assert.equal(fallback['canary.taskDefinition'], TD(3));
  assert.equal(fallback['canary.targetGroup'], 'targetgroup/web-old/0000000000000000');
  assert.equal(fallback['stable.taskDefinition'], TD(4));
  assert.equal(fallback.loadBalancer, undefined);

  // Before the replacement exists: only what the service says.
  assert.deepEqual(codeDeployAnalysisVariables({ cluster: 'prod', service: { serviceName: 'web' }, deploymentId: 'd-ORIGINAL1', testListener: undefined }), {
    cluster: 'prod', service: 'web', 'canary.service': 'web', 'stable.service': 'web', step: '1', 'canary.weight': '0', stage: 'POST_TEST_TRAFFIC_SHIFT',
  });
});

// ---------------------------------------------------------------- history.ts

test('codeDeployOutcome: CodeDeploy statuses in the history\'s words', () => {
  const cases: Array<[string, DeploymentInfo, string]> = [
    ['Succeeded', { status: 'Succeeded' }, 'succeeded'],
    ['Created', { status: 'Created' }, 'in-progress'],
    ['Queued', { status: 'Queued' }, 'in-progress'],
    ['InProgress', { status: 'InProgress' }, 'in-progress'],
    ['Baking', { status: 'Baking' }, 'in-progress'],
    ['Ready', { status: 'Ready' }, 'in-progress'],
    ['Failed, rolled back', { status: 'Failed', rollbackInfo: { rollbackDeploymentId: 'd-R' } }, 'rolled-back'],
    ['Stopped, a rollback message but no rollback deployment', { status: 'Stopped', rollbackInfo: { rollbackMessage: 'rollback not possible' } }, 'stopped'],
    ['Failed', { status: 'Failed' }, 'stopped'],
    ['Stopped', { status: 'Stopped', errorInformation: { code: 'MANUAL_STOP' } }, 'stopped'],
    ['a rollback deployment names what triggered it, which is not a rollback of its own', { status: 'Failed', rollbackInfo: { rollbackTriggeringDeploymentId: 'd-X' } }, 'stopped'],
    ['no status', {}, 'stopped'],
  ];
  for (const [label, info, outcome] of cases) assert.equal(codeDeployOutcome(info), outcome, label);
});

test('appSpecTaskDefinition: the task definition an ECS AppSpec names', () => {
  const json = JSON.stringify({ version: 0.0, Resources: [{ TargetService: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: TD(2) } } }] });
  const yaml = `version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: "${TD(3)}"\n`;
  const cases: Array<[string, DeploymentInfo['revision'], string | undefined]> = [
    ['JSON AppSpecContent', { revisionType: 'AppSpecContent', appSpecContent: { content: json } }, TD(2)],
    ['YAML AppSpecContent', { revisionType: 'AppSpecContent', appSpecContent: { content: yaml } }, TD(3)],
    ['String revision', { revisionType: 'String', string: { content: json } }, TD(2)],
    ['AppSpecContent before String', { revisionType: 'AppSpecContent', appSpecContent: { content: yaml }, string: { content: json } }, TD(3)],
    ['S3 revision', { revisionType: 'S3', s3Location: { bucket: 'b', key: 'k' } }, undefined],
    ['no revision', undefined, undefined],
    ['empty content', { revisionType: 'AppSpecContent', appSpecContent: { content: '' } }, undefined],
    ['garbage', { revisionType: 'String', string: { content: 'not: [an appspec' } }, undefined],
    ['a word', { revisionType: 'String', string: { content: 'garbage' } }, undefined],
    ['null', { revisionType: 'String', string: { content: 'null' } }, undefined],
    ['no Resources', { revisionType: 'String', string: { content: 'version: 0.0' } }, undefined],
    ['TaskDefinition not a string', { revisionType: 'String', string: { content: 'Resources:\n  - T: { Properties: { TaskDefinition: 5 } }\n' } }, undefined],
    ['an empty resource', { revisionType: 'String', string: { content: 'Resources:\n  - T:\n' } }, undefined],
  ];
  for (const [label, revision, expected] of cases) {
    assert.equal(appSpecTaskDefinition({ deploymentId: 'd-1', revision }), expected, label);
  }
});

function revision(arn: string): DeploymentInfo['revision'] {
  return { revisionType: 'AppSpecContent', appSpecContent: { content: appSpecFor(undefined, { taskDefinitionArn: arn, container: 'web', port: 8080 }) } };
}

function definition(arn: string, containers: Array<{ name: string; image: string }>, tags: Tag[]): [string, { taskDefinition: TaskDefinition; tags: Tag[] }] {
  return [arn, { taskDefinition: { taskDefinitionArn: arn, family: 'web', containerDefinitions: containers }, tags }];
}

test('assembleCodeDeployHistory: each deployment with its revision\'s release tags', () => {
  const released: Tag[] = [
    { key: 'team', value: 'web' },
    { key: RELEASE_TAG_KEYS.image, value: '111122223333.dkr.ecr.us-east-1.amazonaws.com/web:1.5.0' },
    { key: RELEASE_TAG_KEYS.commit, value: 'abc1234' },
    { key: RELEASE_TAG_KEYS.who, value: 'alice@ci' },
    { key: RELEASE_TAG_KEYS.at, value: '2026-01-05T00:00:00.000Z' },
    { key: RELEASE_TAG_KEYS.deploymentId, value: 'rollout-5' },
  ];
  const definitions = new Map([
    definition(TD(5), [{ name: 'web', image: 'web:1.5.0' }], released),
    definition(TD(4), [{ name: 'web', image: 'web:1.4.0' }], []),
    definition(TD(3), [{ name: 'web', image: 'web:1.3.0' }, { name: 'proxy', image: 'envoy:1.29' }], []),
  ]);
  const infos: DeploymentInfo[] = [
    {
      deploymentId: 'd-FIVE', status: 'Succeeded', creator: 'user', deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes', revision: revision(TD(5)),
      createTime: new Date('2026-01-05T00:00:00Z'), startTime: new Date('2026-01-05T00:00:10Z'), completeTime: new Date('2026-01-05T00:07:10Z'),
      errorInformation: { message: 'kept from an earlier attempt' },
    },
    {
      deploymentId: 'd-ROLLBACK', status: 'Succeeded', creator: 'codeDeployRollback', deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce', revision: revision(TD(4)),
      createTime: new Date('2026-01-04T01:00:00Z'), completeTime: new Date('2026-01-04T01:01:00Z'), rollbackInfo: { rollbackTriggeringDeploymentId: 'd-FOUR' },
    },
    {
      deploymentId: 'd-FOUR', status: 'Stopped', creator: 'user', revision: revision(TD(3)), createTime: new Date('2026-01-04T00:00:00Z'),
      errorInformation: { code: 'ALARM_ACTIVE', message: 'alarm web-5xx is in ALARM' }, rollbackInfo: { rollbackDeploymentId: 'd-ROLLBACK' },
    },
    { deploymentId: 'd-S3', status: 'InProgress', revision: { revisionType: 'S3', s3Location: { bucket: 'b', key: 'k' } } },
    { deploymentId: 'd-GONE', status: 'Failed', revision: revision(TD(1)), errorInformation: { code: 'INTERNAL_ERROR', message: 'boom' } },
  ];
  assert.deepEqual(assembleCodeDeployHistory(infos, definitions), [
    {
      serviceDeploymentArn: 'd-FIVE', status: 'Succeeded', outcome: 'succeeded',
      startedAt: '2026-01-05T00:00:10.000Z', finishedAt: '2026-01-05T00:07:10.000Z', durationMs: 420_000,
      taskDefinitionArn: TD(5), revision: 'web:5', image: '111122223333.dkr.ecr.us-east-1.amazonaws.com/web:1.5.0', commit: 'abc1234', who: 'alice@ci',
      deploymentId: 'rollout-5', strategy: 'CodeDeploy CodeDeployDefault.ECSCanary10Percent5Minutes', reason: undefined,
    },
    {
      serviceDeploymentArn: 'd-ROLLBACK', status: 'Succeeded', outcome: 'succeeded',
      startedAt: '2026-01-04T01:00:00.000Z', finishedAt: '2026-01-04T01:01:00.000Z', durationMs: 60_000,
      taskDefinitionArn: TD(4), revision: 'web:4', image: 'web:1.4.0', commit: undefined, who: 'CodeDeploy (rollback)',
      deploymentId: undefined, strategy: 'CodeDeploy CodeDeployDefault.ECSAllAtOnce', reason: undefined,
    },
    {
      serviceDeploymentArn: 'd-FOUR', status: 'Stopped', outcome: 'rolled-back',
      startedAt: '2026-01-04T00:00:00.000Z', finishedAt: undefined, durationMs: undefined,
      taskDefinitionArn: TD(3), revision: 'web:3', image: 'web=web:1.3.0, proxy=envoy:1.29', commit: undefined, who: undefined,
      deploymentId: undefined, strategy: 'CodeDeploy', reason: 'alarm web-5xx is in ALARM',
    },
    {
      serviceDeploymentArn: 'd-S3', status: 'InProgress', outcome: 'in-progress',
      startedAt: undefined, finishedAt: undefined, durationMs: undefined,
      taskDefinitionArn: undefined, revision: '(unknown revision)', image: undefined, commit: undefined, who: undefined,
      deploymentId: undefined, strategy: 'CodeDeploy', reason: undefined,
    },
    {
      serviceDeploymentArn: 'd-GONE', status: 'Failed', outcome: 'stopped',
      startedAt: undefined, finishedAt: undefined, durationMs: undefined,
      taskDefinitionArn: TD(1), revision: 'web:1', image: undefined, commit: undefined, who: undefined,
      deploymentId: undefined, strategy: 'CodeDeploy', reason: 'boom',
    },
  ]);
  assert.deepEqual(assembleCodeDeployHistory([], definitions), []);
  assert.deepEqual(assembleCodeDeployHistory([{}], new Map()).map((e) => [e.serviceDeploymentArn, e.status, e.outcome]), [['', 'Unknown', 'stopped']]);
});

test('inTerminationWait: AfterAllowTraffic succeeded with production all on green, or instanceTerminationWaitTimeStarted; never once ended', () => {
  const target = (afterAllowTraffic: 'Succeeded' | 'InProgress', green: number): ECSTarget => ({
    lifecycleEvents: [{ lifecycleEventName: 'AllowTraffic', status: 'Succeeded' }, { lifecycleEventName: 'AfterAllowTraffic', status: afterAllowTraffic }],
    taskSetsInfo: [{ taskSetLabel: 'Blue', trafficWeight: 100 - green }, { taskSetLabel: 'Green', trafficWeight: green }],
  });
  const cases: Array<[string, DeploymentInfo, ECSTarget | undefined, boolean]> = [
    ['lifecycle done, all on green, flag unset', { status: 'InProgress' }, target('Succeeded', 100), true],
    ['the flag alone', { status: 'InProgress', instanceTerminationWaitTimeStarted: true }, undefined, true],
    ['AfterAllowTraffic still running', { status: 'InProgress' }, target('InProgress', 100), false],
    ['production not all on green', { status: 'InProgress' }, target('Succeeded', 90), false],
    ['no target yet', { status: 'InProgress' }, undefined, false],
    ['ended', { status: 'Succeeded', instanceTerminationWaitTimeStarted: true }, target('Succeeded', 100), false],
  ];
  for (const [what, info, ecsTarget, expected] of cases) assert.equal(inTerminationWait(info, ecsTarget), expected, what);
});
