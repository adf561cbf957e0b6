import { AwsError } from '../../errors.js';

/**
 * Every message ECS shows that the emulator reproduces: service events,
 * rollout reasons, stop reasons, API errors. Event formats follow what ECS
 * writes in service events and EventBridge deployment events.
 */

const svc = (service: string): string => `(service ${service})`;
const taskList = (ids: string[]): string => ids.map((id) => `(task ${id})`).join(' ');

export const serviceEvents = {
  startedTasks: (service: string, ids: string[]) => `${svc(service)} has started ${ids.length} tasks: ${taskList(ids)}.`,
  stoppedTasks: (service: string, ids: string[]) => `${svc(service)} has stopped ${ids.length} running tasks: ${taskList(ids)}.`,
  registeredTargets: (service: string, count: number, targetGroupArn: string) =>
    `${svc(service)} registered ${count} targets in (target-group ${targetGroupArn})`,
  deregisteredTargets: (service: string, count: number, targetGroupArn: string) =>
    `${svc(service)} deregistered ${count} targets in (target-group ${targetGroupArn})`,
  beganDraining: (service: string, count: number) => `${svc(service)} has begun draining connections on ${count} tasks.`,
  targetUnhealthy: (service: string, taskId: string, port: number, targetGroupArn: string, reason: string) =>
    `${svc(service)} (task ${taskId}) (port ${port}) is unhealthy in (target-group ${targetGroupArn}) due to (reason ${reason}).`,
  containerUnhealthy: (service: string, taskId: string, container: string) =>
    `${svc(service)} (task ${taskId}) (container ${container}) failed container health checks.`,
  deploymentCompleted: (service: string, deploymentId: string) => `${svc(service)} (deployment ${deploymentId}) deployment completed.`,
  deploymentFailed: (service: string, deploymentId: string) =>
    `${svc(service)} (deployment ${deploymentId}) deployment failed: tasks failed to start.`,
  rollingBack: (service: string, targetDeploymentId: string) => `${svc(service)} rolling back to deployment ${targetDeploymentId}.`,
  // The emulator's wording: ECS's exact event text for an alarm failure is not documented.
  deploymentFailedAlarm: (service: string, deploymentId: string, alarms: string[]) =>
    `${svc(service)} (deployment ${deploymentId}) deployment failed: alarm ${alarms.join(', ')} in ALARM state.`,
  steadyState: (service: string) => `${svc(service)} has reached a steady state.`,
  productionTrafficShifted: (service: string, deploymentId: string, percent: number) =>
    `${svc(service)} (deployment ${deploymentId}) shifted ${percent}% of production traffic to the new service revision.`,
};

export const rolloutReasons = {
  inProgress: (deploymentId: string) => `ECS deployment ${deploymentId} in progress.`,
  completed: (deploymentId: string) => `ECS deployment ${deploymentId} completed.`,
  circuitBreakerFailed: 'ECS deployment circuit breaker: tasks failed to start.',
  alarmFailed: (alarms: string[]) => `ECS deployment failed: alarm ${alarms.join(', ')} in ALARM state.`,
  /** `cause` is what failed the deployment: ECS's circuit breaker wording by default; for alarms the emulator's own. */
  rollingBack: (targetDeploymentId: string, cause = 'ECS deployment circuit breaker') => `${cause}: rolling back to deploymentId ${targetDeploymentId}.`,
  alarmCause: (alarms: string[]) => `ECS deployment alarm ${alarms.join(', ')}`,
  stopCause: 'ECS service deployment stopped with ROLLBACK',
};

export const stopReasons = {
  scaling: (deploymentId: string) => `Scaling activity initiated by (deployment ${deploymentId})`,
  essentialExited: 'Essential container in task exited',
  failedElb: (targetGroupArn: string) => `Task failed ELB health checks in (target-group ${targetGroupArn})`,
  failedContainer: 'Task failed container health checks',
  userDefault: 'Task stopped by user',
  emulatorRestarted: 'Task stopped because the emulator restarted',
  cannotPull: (reason: string) => `CannotPullContainerError: ${reason}`,
  secretsUnsupported: (container: string) =>
    `ResourceInitializationError: unable to pull secrets or registry auth: container ${container} has secrets, and the ecs-rollout emulator does not serve Secrets Manager or SSM Parameter Store yet`,
  launchFailed: (message: string) => `CannotStartContainerError: ${message}`,
  /**
   * The awslogs driver found no log group and was not allowed to create one.
   * Fargate's and the EC2 agent's (Docker's) wordings, as tasks show them.
   */
  logGroupMissing: (launchType: string) =>
    launchType === 'FARGATE'
      ? 'ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1'
      : 'CannotStartContainerError: Error response from daemon: failed to initialize logging driver: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist.',
  /** Docker's awslogs driver rejected its options (`problem` is its message). */
  invalidLogOptions: (launchType: string, problem: string) =>
    launchType === 'FARGATE'
      ? `ResourceInitializationError: failed to validate logger args: ${problem} : exit status 1`
      : `CannotCreateContainerError: Error response from daemon: ${problem}`,
};

export const serviceDeploymentReasons = {
  superseded: (deploymentId: string) => `The service deployment was stopped because deployment ${deploymentId} replaced it.`,
  rollbackReason: 'Service deployment rolled back because the circuit breaker threshold was exceeded.',
  alarmRolledBack: (alarms: string[]) => `Service deployment rolled back because alarm ${alarms.join(', ')} is in ALARM state.`,
  stopRequested: 'Service deployment rolled back because of a StopServiceDeployment request.',
  hookRolledBack: (hookId: string) => `Service deployment rolled back because lifecycle hook ${hookId} was resolved with ROLLBACK.`,
  hookTimedOut: (hookId: string) => `Service deployment rolled back because lifecycle hook ${hookId} timed out.`,
  hookFailed: (hookId: string, why: string) => `Service deployment rolled back because lifecycle hook ${hookId} failed: ${why}.`,
};

export const errors = {
  clusterNotFound: () => new AwsError('ClusterNotFoundException', 'Cluster not found.'),
  serviceNotFound: () => new AwsError('ServiceNotFoundException', 'Service not found.'),
  serviceNotActive: () => new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.'),
  invalid: (message: string) => new AwsError('InvalidParameterException', message),
  client: (message: string) => new AwsError('ClientException', message),
  taskDefinitionNotFound: () => new AwsError('ClientException', 'Unable to describe task definition.'),
  serviceDeploymentNotFound: () => new AwsError('ServiceDeploymentNotFoundException', 'The service deployment does not exist.'),
  // The emulator's wording: ECS's message for an unknown task set is not documented.
  taskSetNotFound: () => new AwsError('TaskSetNotFoundException', 'The specified task set does not exist.'),
  conflict: (message: string) => new AwsError('ConflictException', message),
  resourceNotFound: (message = 'The specified resource could not be found.') => new AwsError('ResourceNotFoundException', message),
};
