import type { Service, Tag, TaskDefinition } from '@aws-sdk/client-ecs';
import { RolloutError } from '../spec/errors.js';
import { chooseContainer } from './container-choice.js';
import type { EventBody, PreflightCheck } from './events.js';
import { isValidTag, parseEcrImageUri, withTag } from './image.js';
import type { Ports } from './ports.js';
import { taskDefinitionLabel } from './revision.js';

export type ImageChange = { image: string } | { tag: string };

export interface PreflightRequest {
  cluster: string;
  service: string;
  container?: string | undefined;
  change: ImageChange;
}

export interface PreflightFindings {
  service: Service;
  taskDefinition: TaskDefinition;
  tags: Tag[];
  container: string;
  previousImage: string;
  image: string;
}

/**
 * Checks, in order, everything a deploy needs before it changes anything.
 * Stops at the first miss (later checks depend on earlier ones) and throws
 * a PreflightFailed user error naming the resource and the fix.
 */
export async function runPreflight(
  ports: Ports,
  request: PreflightRequest,
  emit: (event: EventBody) => void,
  signal?: AbortSignal,
): Promise<PreflightFindings> {
  const pass = (check: PreflightCheck, message: string): void => emit({ type: 'preflight-passed', check, message });
  const fail = (check: PreflightCheck, message: string): never => {
    emit({ type: 'preflight-failed', check, message });
    throw new RolloutError('PreflightFailed', `preflight failed: ${message}`);
  };
  const { cluster, service: serviceName } = request;

  const clusterFound = await ports.ecs.findCluster(cluster, signal);
  if (!clusterFound) fail('cluster', `cluster ${cluster} does not exist (DescribeClusters reports it MISSING); check --cluster and --region`);
  else if (clusterFound.status !== 'ACTIVE') fail('cluster', `cluster ${cluster} is ${clusterFound.status}, not ACTIVE`);
  else pass('cluster', `cluster ${cluster} is ACTIVE`);

  const service = await ports.ecs.findService(cluster, serviceName, signal);
  if (!service) return fail('service', `service ${serviceName} does not exist in cluster ${cluster}; check --service`);
  if (service.status !== 'ACTIVE') fail('service', `service ${serviceName} in cluster ${cluster} is ${service.status}, not ACTIVE; it is being deleted`);
  const controller = service.deploymentController?.type ?? 'ECS';
  if (controller === 'EXTERNAL') {
    fail('service', `service ${serviceName} uses the EXTERNAL deployment controller: its task sets are deployed by whatever tool manages them; deploy drives the ECS and CODE_DEPLOY controllers`);
  }
  if (controller === 'CODE_DEPLOY' && !ports.codeDeploy) fail('service', `service ${serviceName} uses the CODE_DEPLOY deployment controller, and this endpoint has no CodeDeploy`);
  pass('service', `service ${serviceName} is ACTIVE with ${service.desiredCount ?? 0} desired tasks${controller === 'CODE_DEPLOY' ? ', deployed by CodeDeploy' : ''}`);

  const currentArn = service.taskDefinition ?? '';
  const current = currentArn ? await ports.ecs.readTaskDefinition(currentArn, signal) : undefined;
  if (!current) return fail('task-definition', `task definition ${taskDefinitionLabel(currentArn)} of service ${serviceName} cannot be described; register one and update the service first`);
  const label = taskDefinitionLabel(current.taskDefinition.taskDefinitionArn ?? currentArn);
  if (!current.taskDefinition.family) return fail('task-definition', `task definition ${label} has no family`);
  pass('task-definition', `task definition ${label} (family ${current.taskDefinition.family})`);

  const choice = chooseContainer(current.taskDefinition.containerDefinitions ?? [], request.container, label);
  if (!choice.ok) return fail('container', choice.message);
  pass('container', `container ${choice.container.name} runs ${choice.container.image}`);

  let image: string;
  if ('tag' in request.change) {
    if (!isValidTag(request.change.tag)) fail('image', `--tag ${request.change.tag} is not a valid image tag (letters, digits, _ . -; at most 128)`);
    image = withTag(choice.container.image, request.change.tag);
  } else {
    image = request.change.image;
  }
  const ecrImage = parseEcrImageUri(image);
  if (!ecrImage) {
    pass('image', `${image} is not in ECR, existence not checked`);
  } else {
    const lookup = await ports.images.findImage(ecrImage, signal);
    const ref = ecrImage.digest ? `@${ecrImage.digest}` : `:${ecrImage.tag ?? 'latest'}`;
    if (!lookup.found && lookup.missing === 'repository') {
      fail('image', `ECR repository ${ecrImage.repositoryName} does not exist in account ${ecrImage.registryId} region ${ecrImage.region}; create it and push ${ecrImage.repositoryName}${ref} (docker push ${image}, or ecs-rollout emulator push against the emulator)`);
    } else if (!lookup.found) {
      fail('image', `image ${ecrImage.repositoryName}${ref} is not in ECR repository ${ecrImage.repositoryName}; push it first (docker push ${image}, or ecs-rollout emulator push against the emulator)`);
    } else {
      pass('image', `image ${ecrImage.repositoryName}${ref} is in ECR${lookup.digest ? ` (${lookup.digest})` : ''}`);
    }
  }

  return { service, taskDefinition: current.taskDefinition, tags: current.tags, container: choice.container.name, previousImage: choice.container.image, image };
}
