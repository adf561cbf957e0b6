import type { RegisterTaskDefinitionRequest, Tag, TaskDefinition } from '@aws-sdk/client-ecs';

/** Fields DescribeTaskDefinition returns that RegisterTaskDefinition does not accept. */
const RESPONSE_ONLY_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
] as const satisfies readonly (keyof TaskDefinition)[];

/**
 * The next revision to register: the current task definition as it is, with
 * only `containerName`'s image replaced, carrying the definition's tags.
 */
export function planRevision(current: TaskDefinition, tags: readonly Tag[], containerName: string, image: string): RegisterTaskDefinitionRequest {
  const copy: Partial<TaskDefinition> = { ...current };
  for (const field of RESPONSE_ONLY_FIELDS) delete copy[field];
  const containerDefinitions = (current.containerDefinitions ?? []).map((c) => (c.name === containerName ? { ...c, image } : c));
  const request: RegisterTaskDefinitionRequest = { ...copy, family: current.family ?? '', containerDefinitions };
  if (tags.length > 0) request.tags = tags.map((t) => ({ ...t }));
  return request;
}

/** "family:revision" from a task definition ARN or name. */
export function taskDefinitionLabel(arnOrName: string | undefined): string {
  if (!arnOrName) return '(none)';
  const slash = arnOrName.lastIndexOf('/');
  return slash >= 0 ? arnOrName.slice(slash + 1) : arnOrName;
}
