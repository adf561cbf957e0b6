import type {
  CreateServiceRequest, CreateServiceResponse, DeleteServiceRequest, DeleteServiceResponse, DescribeServicesRequest,
  DescribeServicesResponse, Failure, ListServicesRequest, LoadBalancer, ListServicesResponse, TaskDefinition, UpdateServiceRequest,
  UpdateServiceResponse,
} from '@aws-sdk/client-ecs';
import { fields } from '../../../input-validation.js';
import type { Operation } from '../../../service.js';
import { serviceArn, serviceRefOf } from '../arns.js';
import { errors } from '../catalogue.js';
import { startDeployment } from '../deployment-records.js';
import type { EcsScopeState, StoredService } from '../model.js';
import { page } from '../paging.js';
import { serviceKey, type Scope } from '../store.js';
import { findTaskDefinition } from '../task-definition-lookup.js';
import { serviceView } from '../views.js';
import { activeCluster, findService, includesTags, runsOnTaskSets, scopeOf, validTags, type EcsContext } from './context.js';
import { addTaskSet, makePrimary } from './task-sets.js';
import {
  checkStrategyWiring, deploymentConfiguration, deploymentController, desiredCountOf, gracePeriod, launchType, loadBalancers,
} from './service-validation.js';

const SERVICE_NAME = /^[a-zA-Z0-9_-]{1,255}$/;

export type ServiceOps = {
  CreateService: Operation<CreateServiceRequest, CreateServiceResponse>;
  UpdateService: Operation<UpdateServiceRequest, UpdateServiceResponse>;
  DescribeServices: Operation<DescribeServicesRequest, DescribeServicesResponse>;
  ListServices: Operation<ListServicesRequest, ListServicesResponse>;
  DeleteService: Operation<DeleteServiceRequest, DeleteServiceResponse>;
};

export function activeTaskDefinition(state: EcsScopeState, ref: string | undefined): TaskDefinition {
  if (!ref) throw errors.invalid('TaskDefinition not found.');
  const found = findTaskDefinition(state, ref);
  if (!found) throw errors.invalid('TaskDefinition not found.');
  if (found.definition.status !== 'ACTIVE') throw errors.invalid('TaskDefinition is inactive');
  return found.definition;
}

/**
 * ECS: with the EXTERNAL controller, what runs (task definition, launch type,
 * load balancers, network configuration) belongs to task sets, not to the
 * service. AWS's exact messages for these are not documented; the task
 * definition one is the message AWS returns (seen through CloudFormation and Terraform).
 */
function checkExternalService(input: CreateServiceRequest): void {
  if (input.taskDefinition) throw errors.invalid('TaskDefinition must be blank.');
  if ((input.loadBalancers ?? []).length > 0) throw errors.invalid(`${EXTERNAL_SERVICE}: loadBalancers are set on each task set (CreateTaskSet).`);
  if (input.networkConfiguration) throw errors.invalid(`${EXTERNAL_SERVICE}: networkConfiguration is set on each task set (CreateTaskSet).`);
}

const EXTERNAL_SERVICE = 'The service uses the EXTERNAL deployment controller';

/** ECS: a CODE_DEPLOY service needs exactly one load balancer target group, which its original task set registers in. */
function checkCodeDeployLoadBalancers(lbs: LoadBalancer[]): void {
  if (lbs.length !== 1) throw errors.invalid('A service with the CODE_DEPLOY deployment controller requires exactly one load balancer (targetGroupArn, containerName, containerPort).');
  if (lbs[0]?.advancedConfiguration) throw errors.invalid('advancedConfiguration is for the ECS deployment controller; CodeDeploy takes its second target group from the deployment group.');
}

/**
 * ECS: creating a CODE_DEPLOY service creates its first (blue) task set, PRIMARY
 * at 100%, from the service's task definition and load balancer.
 */
function startOriginalTaskSet(c: EcsContext, scope: Scope, service: StoredService): void {
  const taskSet = addTaskSet(c, scope, service, {
    taskDefinition: service.taskDefinition,
    launchType: service.launchType,
    networkConfiguration: service.networkConfiguration,
    loadBalancers: service.loadBalancers,
    scale: { value: 100, unit: 'PERCENT' },
    externalId: undefined,
    tags: [],
    status: 'ACTIVE',
  });
  makePrimary(c, service, taskSet);
}

/** UpdateService on an EXTERNAL or CODE_DEPLOY service: desired count, grace period and the settings that do not change what runs. */
function updateExternalService(c: EcsContext, scope: Scope, state: EcsScopeState, service: StoredService, input: UpdateServiceRequest): UpdateServiceResponse {
  const f = fields(input, 'InvalidParameterException');
  const moving = (['taskDefinition', 'loadBalancers', 'networkConfiguration', 'capacityProviderStrategy', 'platformVersion', 'serviceRegistries'] as const)
    .filter((k) => input[k] !== undefined && input[k] !== null);
  if (moving.length > 0 || f.optionalBoolean('forceNewDeployment')) {
    const instead = service.deploymentController.type === 'CODE_DEPLOY' ? 'create a CodeDeploy deployment (CreateDeployment)' : 'create a new task set (CreateTaskSet)';
    throw errors.invalid(`The service uses the ${service.deploymentController.type} deployment controller: ${moving[0] ?? 'forceNewDeployment'} cannot be updated; ${instead} instead.`);
  }
  const desired = desiredCountOf(input.desiredCount);
  const grace = input.healthCheckGracePeriodSeconds !== undefined ? gracePeriod(input.healthCheckGracePeriodSeconds, true) : service.healthCheckGracePeriodSeconds;
  if (input.deploymentConfiguration) {
    const config = deploymentConfiguration(input.deploymentConfiguration, service.deploymentConfiguration, (ref) => c.functions.find(scope, ref));
    if ((config.strategy ?? 'ROLLING') !== 'ROLLING') throw errors.invalid('deploymentConfiguration.strategy applies to the ECS deployment controller only.');
    service.deploymentConfiguration = config;
  }
  if (desired !== undefined) service.desiredCount = desired;
  service.healthCheckGracePeriodSeconds = grace;
  if (input.propagateTags !== undefined) service.propagateTags = input.propagateTags;
  const managed = f.optionalBoolean('enableECSManagedTags');
  if (managed !== undefined) service.enableECSManagedTags = managed;
  const exec = f.optionalBoolean('enableExecuteCommand');
  if (exec !== undefined) service.enableExecuteCommand = exec;
  c.scheduler.wake();
  return { service: serviceView(state, service, false) };
}

export function serviceOperations(c: EcsContext): ServiceOps {
  return {
    CreateService(input, ctx) {
      const f = fields(input, 'InvalidParameterException');
      const name = f.string('serviceName');
      if (!SERVICE_NAME.test(name)) throw errors.invalid('Service name must be 1-255 letters, numbers, hyphens and underscores.');
      const scope = scopeOf(ctx);
      const state = c.store.state(scope);
      const cluster = activeCluster(state, f.optionalString('cluster'));
      if ((input.schedulingStrategy ?? 'REPLICA') !== 'REPLICA') throw errors.invalid('The ecs-rollout emulator runs REPLICA services only; DAEMON is not emulated.');
      const controller = deploymentController(input.deploymentController);
      const external = controller.type === 'EXTERNAL';
      const codeDeploy = controller.type === 'CODE_DEPLOY';
      if (external) checkExternalService(input);
      const definition = external ? undefined : activeTaskDefinition(state, f.optionalString('taskDefinition'));
      const existing = state.services.get(serviceKey(cluster.clusterName, name));
      if (existing && existing.status !== 'INACTIVE') throw errors.invalid('Creation of service was not idempotent.');
      const lbs = definition ? loadBalancers(input.loadBalancers, definition, c.loadBalancing, scope) : [];
      const config = deploymentConfiguration(input.deploymentConfiguration, undefined, (ref) => c.functions.find(scope, ref));
      if ((external || codeDeploy) && (config.strategy ?? 'ROLLING') !== 'ROLLING') throw errors.invalid('deploymentConfiguration.strategy applies to the ECS deployment controller only.');
      if (codeDeploy) checkCodeDeployLoadBalancers(lbs);
      checkStrategyWiring(config, lbs);
      const now = new Date(c.clock.now());
      const service: StoredService = {
        serviceArn: serviceArn(scope, cluster.clusterName, name),
        serviceName: name,
        clusterArn: cluster.clusterArn,
        clusterName: cluster.clusterName,
        status: 'ACTIVE',
        desiredCount: desiredCountOf(input.desiredCount) ?? 0,
        // EXTERNAL: the primary task set's, once there is one.
        taskDefinition: definition?.taskDefinitionArn ?? '',
        launchType: launchType(input.launchType),
        deploymentConfiguration: config,
        deploymentController: controller,
        loadBalancers: lbs,
        // EXTERNAL: load balancers are the task sets', so a grace period is always allowed.
        healthCheckGracePeriodSeconds: gracePeriod(input.healthCheckGracePeriodSeconds, external || lbs.length > 0),
        networkConfiguration: input.networkConfiguration,
        serviceRegistries: input.serviceRegistries ?? [],
        tags: validTags(input.tags),
        enableECSManagedTags: f.optionalBoolean('enableECSManagedTags') ?? false,
        propagateTags: input.propagateTags ?? 'NONE',
        enableExecuteCommand: f.optionalBoolean('enableExecuteCommand') ?? false,
        createdAt: now,
        createdBy: `arn:aws:iam::${ctx.account}:root`,
        deployments: [],
        events: [],
        currentServiceDeployment: undefined,
        steadyAnnouncedAt: undefined,
        ...(external || codeDeploy ? { taskSets: [] } : {}),
      };
      if (lbs.length > 0 && service.healthCheckGracePeriodSeconds === undefined) service.healthCheckGracePeriodSeconds = 0;
      state.services.set(serviceKey(cluster.clusterName, name), service);
      if (codeDeploy) startOriginalTaskSet(c, scope, service);
      else if (!external) startDeployment(scope, state, service, now);
      c.scheduler.wake();
      return { service: serviceView(state, service, true) };
    },

    UpdateService(input, ctx) {
      const f = fields(input, 'InvalidParameterException');
      const scope = scopeOf(ctx);
      const state = c.store.state(scope);
      const service = findService(state, f.optionalString('cluster'), f.string('service'));
      if (service.status !== 'ACTIVE') throw errors.serviceNotActive();
      if (input.deploymentController && deploymentController(input.deploymentController).type !== service.deploymentController.type) {
        throw errors.invalid('The ecs-rollout emulator does not change a service\'s deployment controller type (see docs/emulator-fidelity.md).');
      }
      if (runsOnTaskSets(service)) return updateExternalService(c, scope, state, service, input);
      const tdRef = f.optionalString('taskDefinition');
      const definition = tdRef ? activeTaskDefinition(state, tdRef) : findTaskDefinition(state, service.taskDefinition)?.definition;
      if (!definition) throw errors.invalid('TaskDefinition not found.');
      const newConfig = input.deploymentConfiguration ? deploymentConfiguration(input.deploymentConfiguration, service.deploymentConfiguration, (ref) => c.functions.find(scope, ref)) : undefined;
      const lbs = input.loadBalancers !== undefined
        ? loadBalancers(input.loadBalancers, definition, c.loadBalancing, scope)
        : (tdRef ? loadBalancers(service.loadBalancers, definition, c.loadBalancing, scope) : service.loadBalancers);
      const grace = input.healthCheckGracePeriodSeconds !== undefined
        ? gracePeriod(input.healthCheckGracePeriodSeconds, lbs.length > 0)
        : service.healthCheckGracePeriodSeconds;
      const desired = desiredCountOf(input.desiredCount);
      const force = f.optionalBoolean('forceNewDeployment') ?? false;

      const changesWhatRuns =
        (definition.taskDefinitionArn !== undefined && definition.taskDefinitionArn !== service.taskDefinition) ||
        (input.loadBalancers !== undefined && JSON.stringify(lbs) !== JSON.stringify(service.loadBalancers)) ||
        (input.networkConfiguration !== undefined && JSON.stringify(input.networkConfiguration) !== JSON.stringify(service.networkConfiguration));

      checkStrategyWiring(newConfig ?? service.deploymentConfiguration, lbs);
      const current = service.currentServiceDeployment ? state.serviceDeployments.get(service.currentServiceDeployment) : undefined;
      const moving = current?.progress && (current.progress.phase === 'forward' || current.progress.phase === 'rollback');
      if (moving && (changesWhatRuns || force)) {
        throw errors.invalid(
          `Service deployment ${current.serviceDeploymentArn} (${current.progress?.strategy}) is still in progress; the ecs-rollout emulator does not replace a traffic-shifting deployment mid-way. Stop it with StopServiceDeployment or wait for it to finish.`,
        );
      }
      if (desired !== undefined) service.desiredCount = desired;
      if (newConfig) service.deploymentConfiguration = newConfig;
      service.taskDefinition = definition.taskDefinitionArn ?? service.taskDefinition;
      service.loadBalancers = lbs;
      service.healthCheckGracePeriodSeconds = grace;
      if (input.networkConfiguration !== undefined) service.networkConfiguration = input.networkConfiguration;
      if (input.serviceRegistries !== undefined) service.serviceRegistries = input.serviceRegistries;
      if (input.propagateTags !== undefined) service.propagateTags = input.propagateTags;
      const managed = f.optionalBoolean('enableECSManagedTags');
      if (managed !== undefined) service.enableECSManagedTags = managed;
      const exec = f.optionalBoolean('enableExecuteCommand');
      if (exec !== undefined) service.enableExecuteCommand = exec;
      if (changesWhatRuns || force) startDeployment(scope, state, service, new Date(c.clock.now()));
      service.steadyAnnouncedAt = desired !== undefined || changesWhatRuns || force ? undefined : service.steadyAnnouncedAt;
      c.scheduler.wake();
      return { service: serviceView(state, service, false) };
    },

    DescribeServices(input, ctx) {
      const f = fields(input, 'InvalidParameterException');
      const refs = f.optionalStringList('services');
      if (!refs || refs.length === 0) throw errors.invalid('Services cannot be empty.');
      if (refs.length > 10) throw errors.invalid('The number of services must be less than or equal to 10.');
      const scope = scopeOf(ctx);
      const state = c.store.state(scope);
      const cluster = activeCluster(state, f.optionalString('cluster'));
      const failures: Failure[] = [];
      const services = refs.flatMap((ref) => {
        const { serviceName } = serviceRefOf(ref);
        const service = state.services.get(serviceKey(cluster.clusterName, serviceName));
        if (!service) {
          failures.push({ arn: ref.startsWith('arn:') ? ref : serviceArn(scope, cluster.clusterName, serviceName), reason: 'MISSING' });
          return [];
        }
        return [serviceView(state, service, includesTags(input.include))];
      });
      return { services, failures };
    },

    ListServices(input, ctx) {
      const f = fields(input, 'InvalidParameterException');
      const state = c.store.state(ctx);
      const cluster = activeCluster(state, f.optionalString('cluster'));
      const lt = f.optionalString('launchType');
      const strategy = f.optionalString('schedulingStrategy');
      const arns = [...state.services.values()]
        .filter((s) => s.clusterName === cluster.clusterName && s.status !== 'INACTIVE')
        .filter((s) => lt === undefined || s.launchType === lt)
        .filter((s) => strategy === undefined || strategy === 'REPLICA')
        .map((s) => s.serviceArn);
      const p = page(arns, input.maxResults, input.nextToken, 10);
      return { serviceArns: p.items, nextToken: p.nextToken };
    },

    DeleteService(input, ctx) {
      const f = fields(input, 'InvalidParameterException');
      const state = c.store.state(ctx);
      const service = findService(state, f.optionalString('cluster'), f.string('service'));
      if (service.status === 'INACTIVE') throw errors.serviceNotFound();
      const force = f.optionalBoolean('force') ?? false;
      if (service.status === 'ACTIVE' && service.desiredCount > 0 && !force) {
        throw errors.invalid('The service cannot be stopped while it is scaled above 0.');
      }
      service.status = 'DRAINING';
      service.desiredCount = 0;
      c.scheduler.wake();
      return { service: serviceView(state, service, false) };
    },
  };
}
