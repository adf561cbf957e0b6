import type {
  AlarmConfiguration, AutoRollbackConfiguration, AutoRollbackEvent, BlueGreenDeploymentConfiguration, CreateDeploymentGroupInput,
  DeploymentStyle, ECSService, LoadBalancerInfo, TargetGroupPairInfo,
} from '@aws-sdk/client-codedeploy';
import { errors } from './catalogue.js';
import { DEFAULT_ECS_CONFIG } from './deployment-configs.js';

/** What an ECS deployment group is configured with: the members Create and Update set. */
export interface EcsGroupSettings {
  serviceRoleArn: string;
  deploymentConfigName: string;
  deploymentStyle: Required<DeploymentStyle>;
  ecsServices: [Required<ECSService>];
  loadBalancerInfo: { targetGroupPairInfoList: [TargetGroupPairInfo] };
  blueGreenDeploymentConfiguration: BlueGreenDeploymentConfiguration;
  autoRollbackConfiguration: AutoRollbackConfiguration;
  alarmConfiguration: Required<AlarmConfiguration>;
}

/** The members of Create/UpdateDeploymentGroup this module reads. */
export type GroupSettingsInput = Partial<
  Pick<
    CreateDeploymentGroupInput,
    | 'serviceRoleArn' | 'deploymentConfigName' | 'deploymentStyle' | 'ecsServices' | 'loadBalancerInfo' | 'blueGreenDeploymentConfiguration'
    | 'autoRollbackConfiguration' | 'alarmConfiguration' | 'ec2TagFilters' | 'ec2TagSet' | 'onPremisesInstanceTagFilters' | 'onPremisesTagSet'
    | 'autoScalingGroups' | 'triggerConfigurations'
  >
>;

const ROLE_ARN = /^arn:aws[a-zA-Z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const MAX_WAIT_MINUTES = 2880;
const MAX_ALARMS = 10;
const ROLLBACK_EVENTS: readonly AutoRollbackEvent[] = ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const present = (v: unknown): boolean => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);

/**
 * Checks an ECS deployment group's settings as CodeDeploy does when the
 * group's application uses the ECS compute platform, and fills in the defaults
 * GetDeploymentGroup shows. A pure function: whether the deployment config
 * exists, and whether the ECS service is already mapped, need the store and
 * are checked by the caller.
 */
export function ecsGroupSettings(input: GroupSettingsInput): EcsGroupSettings {
  const role = input.serviceRoleArn;
  if (!nonEmptyString(role)) throw errors.roleRequired();
  if (!ROLE_ARN.test(role)) throw errors.invalidRole(role);

  if (present(input.ec2TagFilters) || present(input.ec2TagSet)) throw errors.notForEcs('InvalidEC2TagException', 'ec2TagFilters or ec2TagSet');
  if (present(input.onPremisesInstanceTagFilters) || present(input.onPremisesTagSet)) {
    throw errors.notForEcs('InvalidOnPremisesTagCombinationException', 'onPremisesInstanceTagFilters or onPremisesTagSet');
  }
  if (present(input.autoScalingGroups)) throw errors.notForEcs('InvalidAutoScalingGroupException', 'autoScalingGroups');
  if (present(input.triggerConfigurations)) throw errors.triggersNotEmulated();

  const configName = input.deploymentConfigName ?? DEFAULT_ECS_CONFIG;
  if (typeof configName !== 'string' || configName.length < 1 || configName.length > 100) throw errors.invalidConfigName(String(configName));

  return {
    serviceRoleArn: role,
    deploymentConfigName: configName,
    deploymentStyle: deploymentStyle(input.deploymentStyle),
    ecsServices: ecsServices(input.ecsServices),
    loadBalancerInfo: loadBalancerInfo(input.loadBalancerInfo),
    blueGreenDeploymentConfiguration: blueGreen(input.blueGreenDeploymentConfiguration),
    autoRollbackConfiguration: autoRollback(input.autoRollbackConfiguration),
    alarmConfiguration: checkedAlarmConfiguration(input.alarmConfiguration),
  };
}

function deploymentStyle(style: DeploymentStyle | undefined): Required<DeploymentStyle> {
  if (!isObject(style) || style.deploymentType !== 'BLUE_GREEN' || style.deploymentOption !== 'WITH_TRAFFIC_CONTROL') {
    throw errors.invalidDeploymentStyle(
      'A deployment group whose application uses the ECS compute platform must have the deployment style deploymentType BLUE_GREEN and deploymentOption WITH_TRAFFIC_CONTROL.',
    );
  }
  return { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' };
}

function ecsServices(services: ECSService[] | undefined): [Required<ECSService>] {
  if (!Array.isArray(services) || services.length === 0) {
    throw errors.invalidEcsService('A deployment group whose application uses the ECS compute platform must name one Amazon ECS service in ecsServices.');
  }
  if (services.length > 1) throw errors.invalidEcsService('An ECS deployment group deploys exactly one Amazon ECS service; ecsServices names more than one.');
  const [service] = services;
  if (!isObject(service) || !nonEmptyString(service.clusterName) || !nonEmptyString(service.serviceName)) {
    throw errors.invalidEcsService('The Amazon ECS service identifier is not valid: ecsServices needs both clusterName and serviceName.');
  }
  return [{ clusterName: service.clusterName, serviceName: service.serviceName }];
}

function listenerArns(route: unknown, which: string, required: boolean): string[] | undefined {
  if (route === undefined || route === null) {
    if (required) throw errors.invalidTargetGroupPair(`The target group pair needs a ${which} with one listener ARN.`);
    return undefined;
  }
  const arns = isObject(route) ? route.listenerArns : undefined;
  if (!Array.isArray(arns) || arns.length === 0) {
    if (required) throw errors.invalidTargetGroupPair(`The target group pair needs a ${which} with one listener ARN.`);
    return undefined;
  }
  if (arns.length > 1) throw errors.invalidTargetGroupPair(`The ${which} of a target group pair takes one listener ARN, not ${arns.length}.`);
  const [arn] = arns;
  if (!nonEmptyString(arn) || !arn.startsWith('arn:')) throw errors.invalidTargetGroupPair(`The ${which} listener ARN ${String(arn)} is not valid.`);
  return [arn];
}

function loadBalancerInfo(info: LoadBalancerInfo | undefined): { targetGroupPairInfoList: [TargetGroupPairInfo] } {
  if (!isObject(info)) {
    throw errors.invalidLoadBalancerInfo(
      'A deployment group whose application uses the ECS compute platform must specify loadBalancerInfo with a targetGroupPairInfoList.',
    );
  }
  if (present(info.elbInfoList)) throw errors.invalidLoadBalancerInfo('For ECS deployment group, loadBalancerInfo must not contain elbInfo list');
  if (present(info.targetGroupInfoList)) throw errors.invalidLoadBalancerInfo('For ECS deployment group, loadBalancerInfo must not contain targetGroupInfo list');
  const pairs = info.targetGroupPairInfoList;
  if (!Array.isArray(pairs) || pairs.length === 0) {
    throw errors.invalidLoadBalancerInfo('For ECS deployment group, loadBalancerInfo must contain a targetGroupPairInfoList with one target group pair.');
  }
  if (pairs.length > 1) throw errors.invalidTargetGroupPair('An ECS deployment group takes one target group pair, not ' + pairs.length + '.');
  const [pair] = pairs;
  if (!isObject(pair)) throw errors.invalidTargetGroupPair('The target group pair is not valid.');
  const groups = pair.targetGroups;
  if (!Array.isArray(groups) || groups.length !== 2) {
    throw errors.invalidTargetGroupPair(`A target group pair must name exactly two target groups, not ${Array.isArray(groups) ? groups.length : 0}.`);
  }
  const names = groups.map((g) => (isObject(g) ? g.name : undefined));
  if (!names.every(nonEmptyString)) throw errors.invalidTargetGroupPair('Each target group of the pair needs a name.');
  if (names[0] === names[1]) throw errors.invalidTargetGroupPair('Target group pair must have distinct target groups.');
  const prod = listenerArns(pair.prodTrafficRoute, 'prodTrafficRoute', true) as string[];
  const test = listenerArns(pair.testTrafficRoute, 'testTrafficRoute', false);
  if (test && test[0] === prod[0]) throw errors.invalidTargetGroupPair('The testTrafficRoute listener must differ from the prodTrafficRoute listener.');
  return {
    targetGroupPairInfoList: [
      {
        targetGroups: names.map((name) => ({ name })),
        prodTrafficRoute: { listenerArns: prod },
        ...(test ? { testTrafficRoute: { listenerArns: test } } : {}),
      },
    ],
  };
}

function minutes(value: unknown, member: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_WAIT_MINUTES) {
    throw errors.invalidBlueGreen(`${member} must be a whole number of minutes from 0 to ${MAX_WAIT_MINUTES}, not ${String(value)}.`);
  }
  return value;
}

function blueGreen(given: BlueGreenDeploymentConfiguration | undefined): BlueGreenDeploymentConfiguration {
  if (given !== undefined && given !== null && !isObject(given)) throw errors.invalidBlueGreen('blueGreenDeploymentConfiguration must be a structure.');
  const config: BlueGreenDeploymentConfiguration | undefined = given ?? undefined;
  if (config?.greenFleetProvisioningOption) {
    throw errors.invalidBlueGreen('greenFleetProvisioningOption cannot be specified for a deployment group whose application uses the ECS compute platform.');
  }
  const ready = config?.deploymentReadyOption;
  const action = ready?.actionOnTimeout ?? 'CONTINUE_DEPLOYMENT';
  if (action !== 'CONTINUE_DEPLOYMENT' && action !== 'STOP_DEPLOYMENT') {
    throw errors.invalidBlueGreen(`deploymentReadyOption.actionOnTimeout must be CONTINUE_DEPLOYMENT or STOP_DEPLOYMENT, not ${String(action)}.`);
  }
  // AWS refuses a wait with CONTINUE_DEPLOYMENT, which never waits (the wording users report from CreateDeploymentGroup).
  if (action === 'CONTINUE_DEPLOYMENT' && typeof ready?.waitTimeInMinutes === 'number' && ready.waitTimeInMinutes > 0) {
    throw errors.invalidBlueGreen("Deployment ready action cannot be set to 'CONTINUE_DEPLOYMENT' when timeout is specified");
  }
  const terminate = config?.terminateBlueInstancesOnDeploymentSuccess;
  const terminateAction = terminate?.action ?? 'TERMINATE';
  if (terminateAction !== 'TERMINATE') {
    throw errors.invalidBlueGreen(
      `terminateBlueInstancesOnDeploymentSuccess.action must be TERMINATE for an ECS deployment group (the original task set is always removed), not ${String(terminateAction)}.`,
    );
  }
  return {
    deploymentReadyOption: { actionOnTimeout: action, waitTimeInMinutes: minutes(ready?.waitTimeInMinutes, 'deploymentReadyOption.waitTimeInMinutes') },
    terminateBlueInstancesOnDeploymentSuccess: {
      action: 'TERMINATE',
      terminationWaitTimeInMinutes: minutes(terminate?.terminationWaitTimeInMinutes, 'terminateBlueInstancesOnDeploymentSuccess.terminationWaitTimeInMinutes'),
    },
  };
}

function autoRollback(config: AutoRollbackConfiguration | undefined): AutoRollbackConfiguration {
  if (config === undefined || config === null) return { enabled: false };
  if (!isObject(config)) throw errors.invalidAutoRollback('autoRollbackConfiguration must be a structure.');
  const events = config.events ?? [];
  if (!Array.isArray(events) || !events.every((e) => ROLLBACK_EVENTS.includes(e))) {
    throw errors.invalidAutoRollback(`autoRollbackConfiguration.events may hold only ${ROLLBACK_EVENTS.join(', ')}.`);
  }
  const enabled = config.enabled === true;
  if (enabled && events.length === 0) throw errors.invalidAutoRollback('Automatic rollback is enabled, but no event types were listed.');
  return { enabled, ...(events.length > 0 ? { events: [...new Set(events)] } : {}) };
}

/** An alarmConfiguration, checked: a group's, or CreateDeployment's overrideAlarmConfiguration. */
export function checkedAlarmConfiguration(config: AlarmConfiguration | undefined): Required<AlarmConfiguration> {
  if (config === undefined || config === null) return { enabled: false, ignorePollAlarmFailure: false, alarms: [] };
  if (!isObject(config)) throw errors.invalidAlarmConfig('alarmConfiguration must be a structure.');
  const list = config.alarms ?? [];
  if (!Array.isArray(list) || !list.every((a) => isObject(a) && nonEmptyString(a.name))) {
    throw errors.invalidAlarmConfig('The alarm configuration is invalid: each alarm needs a name.');
  }
  if (list.length > MAX_ALARMS) throw errors.alarmsLimit();
  const names = list.map((a) => a.name as string);
  if (new Set(names).size !== names.length) throw errors.invalidAlarmConfig('The alarm configuration is invalid: an alarm is named more than once.');
  const enabled = config.enabled === true;
  if (enabled && names.length === 0) throw errors.invalidAlarmConfig('The alarm configuration is invalid: alarms are enabled, but no alarm is named.');
  return { enabled, ignorePollAlarmFailure: config.ignorePollAlarmFailure === true, alarms: names.map((name) => ({ name })) };
}
