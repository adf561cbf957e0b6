import { AwsError } from '../../errors.js';

const GAP = 'see docs/emulator-fidelity.md for what is';

/**
 * CodeDeploy's error codes (all HTTP 400, as the API reference lists them) and
 * messages. Confirmed wordings, seen in AWS's own answers quoted by users:
 * "No application found for name: ...", "Target group pair must have distinct
 * target groups.", "For ECS deployment group, loadBalancerInfo must not contain
 * elbInfo list". The others follow the API reference's description of the error,
 * made specific; messages that contain "ecs-rollout" name a gap of the emulator.
 */
export const errors = {
  applicationNameRequired: () => new AwsError('ApplicationNameRequiredException', 'The minimum number of required application names was not specified.'),
  invalidApplicationName: (name: string) =>
    new AwsError('InvalidApplicationNameException', `The application name ${name} is invalid: it must be 1 to 100 characters long.`),
  applicationNotFound: (name: string) => new AwsError('ApplicationDoesNotExistException', `No application found for name: ${name}`),
  applicationExists: (name: string) => new AwsError('ApplicationAlreadyExistsException', `${name} already exists in your account`),
  invalidComputePlatform: (value: string) =>
    new AwsError('InvalidComputePlatformException', `The computePlatform ${value} is invalid. The computePlatform should be Lambda, Server, or ECS.`),
  platformNotEmulated: (platform: string) =>
    new AwsError(
      'InvalidComputePlatformException',
      `The ecs-rollout emulator serves the ECS compute platform only, not ${platform}; ${GAP}.`,
    ),
  batchLimit: () => new AwsError('BatchLimitExceededException', 'The maximum number of names or IDs allowed for this request (100) was exceeded.'),
  invalidTags: () => new AwsError('InvalidTagException', 'The tag was specified in an invalid format: each tag needs a Key.'),
  invalidNextToken: () => new AwsError('InvalidNextTokenException', 'The next token was specified in an invalid format.'),

  groupNameRequired: () => new AwsError('DeploymentGroupNameRequiredException', 'The deployment group name was not specified.'),
  invalidGroupName: (name: string) =>
    new AwsError('InvalidDeploymentGroupNameException', `The deployment group name ${name} is invalid: it must be 1 to 100 characters long.`),
  groupNotFound: (name: string) => new AwsError('DeploymentGroupDoesNotExistException', `No Deployment Group found for name: ${name}`),
  groupExists: (name: string, application: string) =>
    new AwsError('DeploymentGroupAlreadyExistsException', `A deployment group named ${name} already exists for application ${application}.`),
  roleRequired: () => new AwsError('RoleRequiredException', 'The role ID was not specified.'),
  invalidRole: (arn: string) => new AwsError('InvalidRoleException', `The service role ARN ${arn} is not a valid IAM role ARN.`),
  invalidDeploymentStyle: (detail: string) => new AwsError('InvalidDeploymentStyleException', detail),
  invalidEcsService: (detail: string) => new AwsError('InvalidECSServiceException', detail),
  ecsServiceMapped: (cluster: string, service: string, group: string) =>
    new AwsError(
      'ECSServiceMappingLimitExceededException',
      `The Amazon ECS service ${service} in cluster ${cluster} is already associated with deployment group ${group}. An Amazon ECS service can be associated with only one deployment group.`,
    ),
  invalidLoadBalancerInfo: (detail: string) => new AwsError('InvalidLoadBalancerInfoException', detail),
  invalidTargetGroupPair: (detail: string) => new AwsError('InvalidTargetGroupPairException', detail),
  invalidBlueGreen: (detail: string) => new AwsError('InvalidBlueGreenDeploymentConfigurationException', detail),
  invalidAutoRollback: (detail: string) => new AwsError('InvalidAutoRollbackConfigException', detail),
  invalidAlarmConfig: (detail: string) => new AwsError('InvalidAlarmConfigException', detail),
  alarmsLimit: () => new AwsError('AlarmsLimitExceededException', 'The maximum number of alarms for a deployment group (10) was exceeded.'),
  notForEcs: (code: string, member: string) =>
    new AwsError(code, `${member} cannot be specified for a deployment group whose application uses the ECS compute platform.`),
  triggersNotEmulated: () =>
    new AwsError('InvalidTriggerConfigException', `Deployment group triggers (triggerConfigurations) are not emulated by ecs-rollout; ${GAP}.`),

  configNameRequired: () => new AwsError('DeploymentConfigNameRequiredException', 'The deployment configuration name was not specified.'),
  invalidConfigName: (name: string) =>
    new AwsError('InvalidDeploymentConfigNameException', `The deployment configuration name ${name} is invalid: it must be 1 to 100 characters long.`),
  configNotFound: (name: string) =>
    new AwsError('DeploymentConfigDoesNotExistException', `The deployment configuration ${name} does not exist with the user or Amazon Web Services account.`),
  configExists: (name: string) =>
    new AwsError('DeploymentConfigAlreadyExistsException', `A deployment configuration named ${name} already exists with the user or Amazon Web Services account.`),
  configInUse: (name: string) => new AwsError('DeploymentConfigInUseException', `The deployment configuration ${name} is still in use.`),
  predefinedConfig: (name: string) =>
    new AwsError('InvalidOperationException', `${name} is a predefined deployment configuration; predefined configurations cannot be deleted.`),
  invalidTrafficRouting: (detail: string) => new AwsError('InvalidTrafficRoutingConfigurationException', detail),
  minimumHealthyHostsForEcs: () =>
    new AwsError('InvalidMinimumHealthyHostValueException', 'minimumHealthyHosts cannot be specified for a deployment configuration that uses the ECS compute platform.'),
  zonalConfigForEcs: () =>
    new AwsError('InvalidZonalDeploymentConfigurationException', 'zonalConfig cannot be specified for a deployment configuration that uses the ECS compute platform.'),

  revisionRequired: () => new AwsError('RevisionRequiredException', 'The revision ID was not specified.'),
  invalidRevision: (detail: string) => new AwsError('InvalidRevisionException', detail),
  deploymentIdRequired: () => new AwsError('DeploymentIdRequiredException', 'At least one deployment ID must be specified.'),
  invalidDeploymentId: (id: string) => new AwsError('InvalidDeploymentIdException', `The deployment ID ${id} is invalid: deployment IDs look like d-ABCDEF123.`),
  deploymentNotFound: (id: string) => new AwsError('DeploymentDoesNotExistException', `The deployment ${id} could not be found.`),
  activeDeployment: (group: string, id: string) =>
    new AwsError('DeploymentLimitExceededException', `The Deployment Group '${group}' already has an active Deployment '${id}'`),
  invalidHookExecutionId: (id: string) =>
    new AwsError('InvalidLifecycleEventHookExecutionIdException', `The lifecycle event hook execution ID ${id} is not the one this deployment is waiting for.`),
  invalidHookStatus: (status: string) =>
    new AwsError('InvalidLifecycleEventHookExecutionStatusException', `The lifecycle event hook execution status ${status} is invalid: it must be Succeeded or Failed.`),
  hookCompleted: (id: string) => new AwsError('LifecycleEventAlreadyCompletedException', `The lifecycle event hook execution ${id} has already completed.`),
  deploymentCompleted: (id: string) => new AwsError('DeploymentAlreadyCompletedException', `The deployment ${id} has already completed.`),
  deploymentNotReady: (id: string, status: string) =>
    new AwsError('DeploymentIsNotInReadyStateException', `The deployment ${id} has a status of ${status}, not Ready, and is not waiting to be continued.`),
  invalidWaitType: (value: string) =>
    new AwsError('InvalidDeploymentWaitTypeException', `The deployment wait type ${value} is invalid: it must be READY_WAIT or TERMINATION_WAIT.`),
  otherWaitType: (id: string, given: string, waiting: string) =>
    new AwsError('InvalidDeploymentWaitTypeException', `The deployment ${id} is in its ${waiting}, so it cannot be continued with the wait type ${given}.`),
  deploymentNotStarted: (id: string) => new AwsError('DeploymentNotStartedException', `The deployment ${id} has not started.`),
  targetIdRequired: () => new AwsError('DeploymentTargetIdRequiredException', 'A deployment target ID was not provided.'),
  invalidTargetId: (id: string) =>
    new AwsError('InvalidDeploymentTargetIdException', `The target ID ${id} is invalid: an ECS deployment's target ID is <clustername>:<servicename>.`),
  targetNotFound: (id: string, deployment: string) =>
    new AwsError('DeploymentTargetDoesNotExistException', `The target ID ${id} does not belong to the deployment ${deployment}.`),
  targetListSize: () =>
    new AwsError('DeploymentTargetListSizeExceededException', 'An Amazon ECS deployment has exactly one target: the target list must have exactly one item.'),
  invalidTargetFilterName: (name: string) =>
    new AwsError('InvalidTargetFilterNameException', `The target filter name ${name} is invalid: it must be TargetStatus or ServerInstanceLabel.`),
  invalidTargetStatus: (value: string) =>
    new AwsError('InvalidInstanceStatusException', `The target status ${value} is invalid: it must be Pending, InProgress, Succeeded, Failed, Skipped, Unknown or Ready.`),
  invalidInstanceLabel: (value: string) => new AwsError('InvalidInstanceTypeException', `The instance label ${value} is invalid: it must be Blue or Green.`),
};
