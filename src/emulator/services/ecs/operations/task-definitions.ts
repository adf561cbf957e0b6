import type {
  ContainerDefinition, ContainerDependency, DeregisterTaskDefinitionRequest, DeregisterTaskDefinitionResponse, DescribeTaskDefinitionRequest,
  DescribeTaskDefinitionResponse, ListTaskDefinitionFamiliesRequest, ListTaskDefinitionFamiliesResponse,
  KeyValuePair, ListTaskDefinitionsRequest, ListTaskDefinitionsResponse, PortMapping, RegisterTaskDefinitionRequest, RegisterTaskDefinitionResponse,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import { fields } from '../../../input-validation.js';
import type { Operation } from '../../../service.js';
import { HEALTH_CHECK_DEFAULTS } from '../../../runtime/scheduler/container-launch.js';
import { taskDefinitionArn } from '../arns.js';
import { errors } from '../catalogue.js';
import { page } from '../paging.js';
import { findTaskDefinition } from '../task-definition-lookup.js';
import { includesTags, scopeOf, validTags, type EcsContext } from './context.js';

const FAMILY = /^[a-zA-Z0-9_-]{1,255}$/;
const CONTAINER_NAME = /^[a-zA-Z0-9_-]{1,255}$/;

export type TaskDefinitionOps = {
  RegisterTaskDefinition: Operation<RegisterTaskDefinitionRequest, RegisterTaskDefinitionResponse>;
  DescribeTaskDefinition: Operation<DescribeTaskDefinitionRequest, DescribeTaskDefinitionResponse>;
  ListTaskDefinitions: Operation<ListTaskDefinitionsRequest, ListTaskDefinitionsResponse>;
  ListTaskDefinitionFamilies: Operation<ListTaskDefinitionFamiliesRequest, ListTaskDefinitionFamiliesResponse>;
  DeregisterTaskDefinition: Operation<DeregisterTaskDefinitionRequest, DeregisterTaskDefinitionResponse>;
};

export function taskDefinitionOperations(c: EcsContext): TaskDefinitionOps {
  return {
    RegisterTaskDefinition(input, ctx) {
      const f = fields(input, 'ClientException');
      const family = f.optionalString('family');
      if (!family) throw errors.client('Family should not be null or empty.');
      if (!FAMILY.test(family)) throw errors.client('Family contains invalid characters.');
      const networkMode = f.optionalString('networkMode') ?? 'bridge';
      if (!['bridge', 'host', 'awsvpc', 'none'].includes(networkMode)) throw errors.client(`Invalid networkMode: ${networkMode}`);
      const cpu = optionalStringish(input.cpu, 'cpu');
      const memory = optionalStringish(input.memory, 'memory');
      const requires = f.optionalStringList('requiresCompatibilities') ?? [];
      if (requires.includes('FARGATE')) {
        if (networkMode !== 'awsvpc') throw errors.client('Fargate only supports network mode ‘awsvpc’.');
        if (!cpu) throw errors.client("Fargate requires that 'cpu' be defined at the task level.");
        if (!memory) throw errors.client("Fargate requires that 'memory' be defined at the task level.");
      }
      const containers = containerDefinitions(input.containerDefinitions, networkMode, memory);
      const tags = validTags(input.tags);
      f.optionalString('executionRoleArn');
      f.optionalString('taskRoleArn');

      const state = c.store.state(ctx);
      const revisions = state.taskDefinitions.get(family) ?? [];
      const revision = revisions.length + 1;
      const definition: TaskDefinition = {
        taskDefinitionArn: taskDefinitionArn(scopeOf(ctx), family, revision),
        containerDefinitions: containers,
        family,
        taskRoleArn: input.taskRoleArn,
        executionRoleArn: input.executionRoleArn,
        networkMode: networkMode as TaskDefinition['networkMode'],
        revision,
        volumes: input.volumes ?? [],
        status: 'ACTIVE',
        placementConstraints: input.placementConstraints ?? [],
        compatibilities: networkMode === 'awsvpc' && cpu && memory ? ['EC2', 'FARGATE'] : ['EC2'],
        runtimePlatform: input.runtimePlatform,
        requiresCompatibilities: requires.length > 0 ? (requires as TaskDefinition['requiresCompatibilities']) : undefined,
        cpu,
        memory,
        pidMode: input.pidMode,
        ipcMode: input.ipcMode,
        registeredAt: new Date(c.clock.now()),
        registeredBy: `arn:aws:iam::${ctx.account}:root`,
      };
      revisions.push({ definition, tags });
      state.taskDefinitions.set(family, revisions);
      return { taskDefinition: definition, tags };
    },

    DescribeTaskDefinition(input, ctx) {
      const ref = fields(input, 'ClientException').optionalString('taskDefinition');
      if (!ref) throw errors.client('TaskDefinition should not be null or empty.');
      const found = findTaskDefinition(c.store.state(ctx), ref);
      if (!found) throw errors.taskDefinitionNotFound();
      return { taskDefinition: found.definition, tags: includesTags(input.include) ? found.tags : undefined };
    },

    ListTaskDefinitions(input, ctx) {
      const f = fields(input, 'InvalidParameterException');
      const prefix = f.optionalString('familyPrefix');
      const status = f.optionalString('status') ?? 'ACTIVE';
      const sort = f.optionalString('sort') ?? 'ASC';
      const all = [...c.store.state(ctx).taskDefinitions.entries()]
        .filter(([family]) => prefix === undefined || family === prefix)
        .flatMap(([, revisions]) => revisions.map((r) => r.definition))
        .filter((d) => status === 'ALL' || d.status === status)
        .sort((a, b) => (a.family ?? '').localeCompare(b.family ?? '') || (a.revision ?? 0) - (b.revision ?? 0));
      if (sort === 'DESC') all.reverse();
      const p = page(all.map((d) => d.taskDefinitionArn ?? ''), input.maxResults, input.nextToken, 100);
      return { taskDefinitionArns: p.items, nextToken: p.nextToken };
    },

    ListTaskDefinitionFamilies(input, ctx) {
      const f = fields(input, 'InvalidParameterException');
      const prefix = f.optionalString('familyPrefix') ?? '';
      const status = f.optionalString('status') ?? 'ACTIVE';
      const families = [...c.store.state(ctx).taskDefinitions.entries()]
        .filter(([family]) => family.startsWith(prefix))
        .filter(([, revisions]) => {
          const active = revisions.some((r) => r.definition.status === 'ACTIVE');
          return status === 'ALL' || (status === 'ACTIVE' ? active : !active);
        })
        .map(([family]) => family)
        .sort();
      const p = page(families, input.maxResults, input.nextToken, 100);
      return { families: p.items, nextToken: p.nextToken };
    },

    DeregisterTaskDefinition(input, ctx) {
      const ref = fields(input, 'ClientException').optionalString('taskDefinition');
      if (!ref) throw errors.client('TaskDefinition should not be null or empty.');
      if (!/:\d+$/.test(ref)) throw errors.client(`Invalid revision number. Number: ${/:([^:/]*)$/.exec(ref)?.[1] ?? ''}`);
      const found = findTaskDefinition(c.store.state(ctx), ref);
      if (!found) throw errors.taskDefinitionNotFound();
      found.definition.status = 'INACTIVE';
      found.definition.deregisteredAt = new Date(c.clock.now());
      return { taskDefinition: found.definition };
    },
  };
}

/** Task-level cpu and memory are strings in the API ("256", "0.25 vCPU"); a number is accepted as its string. */
function optionalStringish(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw errors.client(`${field} must be a string.`);
}

function containerDefinitions(value: unknown, networkMode: string, taskMemory: string | undefined): ContainerDefinition[] {
  if (!Array.isArray(value) || value.length === 0) throw errors.client('Container list cannot be empty.');
  const names = new Set<string>();
  const out = value.map((raw: unknown): ContainerDefinition => {
    if (typeof raw !== 'object' || raw === null) throw errors.client('Container definitions must be objects.');
    const def = raw as ContainerDefinition;
    const f = fields(def, 'ClientException');
    const name = f.optionalString('name');
    if (!name) throw errors.client('Container.name should not be null or empty.');
    if (!CONTAINER_NAME.test(name)) throw errors.client(`Container name '${name}' contains invalid characters.`);
    if (names.has(name)) throw errors.client(`Duplicate container names are not allowed: ${name}.`);
    names.add(name);
    const image = f.optionalString('image');
    if (!image) throw errors.client('Container.image should not be null or empty.');
    const memory = f.optionalNumber('memory');
    const memoryReservation = f.optionalNumber('memoryReservation');
    if (!taskMemory && memory === undefined && memoryReservation === undefined) {
      throw errors.client(`Invalid setting for container '${name}'. At least one of 'memory' or 'memoryReservation' must be specified.`);
    }
    if (memory !== undefined && memoryReservation !== undefined && memoryReservation > memory) {
      throw errors.client(`Invalid setting for container '${name}'. The memory reservation must be less than or equal to the memory limit.`);
    }
    f.optionalNumber('cpu');
    f.optionalNumber('stopTimeout');
    f.optionalBoolean('essential');
    f.optionalStringList('command');
    f.optionalStringList('entryPoint');
    f.optionalString('workingDirectory');
    // The runtime reads these when a task starts; a wrong shape is refused here, not met there.
    for (const pair of f.optionalObjectList<KeyValuePair>('environment') ?? []) {
      const p = fields(pair, 'ClientException');
      p.optionalString('name');
      p.optionalString('value');
    }
    for (const dep of f.optionalObjectList<ContainerDependency>('dependsOn') ?? []) {
      const d = fields(dep, 'ClientException');
      d.optionalString('containerName');
      d.optionalString('condition');
    }
    f.optionalObjectList('secrets');
    f.optionalObjectList('mountPoints');
    f.optionalObjectList('volumesFrom');
    const portMappings = (f.optionalObjectList<PortMapping>('portMappings') ?? []).map((m) => {
      if (typeof m.containerPort !== 'number' || m.containerPort < 1 || m.containerPort > 65535) {
        throw errors.client(`Invalid containerPort for container '${name}'. Container ports must be between 1 and 65535.`);
      }
      if (networkMode === 'awsvpc' && m.hostPort !== undefined && m.hostPort !== m.containerPort) {
        throw errors.client('When networkMode=awsvpc, the host ports and container ports in port mappings must match.');
      }
      const hostPort = networkMode === 'awsvpc' || networkMode === 'host' ? m.containerPort : (m.hostPort ?? 0);
      return { ...m, hostPort, protocol: m.protocol ?? 'tcp' };
    });
    const hc = def.healthCheck ?? undefined;
    if (hc !== undefined) {
      const h = fields(typeof hc === 'object' && !Array.isArray(hc) ? hc : {}, 'ClientException');
      const command = h.optionalStringList('command');
      if (!command || command.length === 0) {
        throw errors.client(`Invalid setting for container '${name}'. healthCheck.command should not be null or empty.`);
      }
      if (!['CMD', 'CMD-SHELL', 'NONE'].includes(command[0] ?? '')) {
        throw errors.client(`Invalid setting for container '${name}'. healthCheck.command must start with CMD, CMD-SHELL or NONE, got '${command[0]}'.`);
      }
      for (const seconds of ['interval', 'timeout', 'retries', 'startPeriod']) h.optionalNumber(seconds);
    }
    return {
      ...def,
      name,
      image,
      cpu: def.cpu ?? 0,
      portMappings,
      essential: def.essential ?? true,
      environment: def.environment ?? [],
      mountPoints: def.mountPoints ?? [],
      volumesFrom: def.volumesFrom ?? [],
      healthCheck: hc
        ? {
            command: hc.command,
            interval: hc.interval ?? HEALTH_CHECK_DEFAULTS.intervalSeconds,
            timeout: hc.timeout ?? HEALTH_CHECK_DEFAULTS.timeoutSeconds,
            retries: hc.retries ?? HEALTH_CHECK_DEFAULTS.retries,
            startPeriod: hc.startPeriod ?? HEALTH_CHECK_DEFAULTS.startPeriodSeconds,
          }
        : undefined,
      systemControls: def.systemControls ?? [],
    };
  });
  if (!out.some((d) => d.essential !== false)) throw errors.client('A task definition must have at least one essential container.');
  for (const d of out) {
    for (const dep of d.dependsOn ?? []) {
      if (!names.has(dep.containerName ?? '')) {
        throw errors.client(`Container '${d.name}' depends on container '${dep.containerName}', which is not defined in the task definition.`);
      }
    }
  }
  return out;
}
