import type { EcsScopeState, StoredTaskDefinition } from './model.js';

/** "family" (latest ACTIVE revision), "family:revision" or a task definition ARN. */
export function parseTaskDefinitionRef(ref: string): { family: string; revision: number | undefined } {
  const fromArn = /^arn:aws[\w-]*:ecs:[^:]*:\d*:task-definition\/(.+)$/.exec(ref);
  const body = fromArn?.[1] ?? ref;
  const match = /^([^:]+)(?::(\d+))?$/.exec(body);
  if (!match) return { family: body, revision: undefined };
  return { family: match[1] ?? body, revision: match[2] === undefined ? undefined : Number(match[2]) };
}

export function findTaskDefinition(state: EcsScopeState, ref: string): StoredTaskDefinition | undefined {
  const { family, revision } = parseTaskDefinitionRef(ref);
  const revisions = state.taskDefinitions.get(family);
  if (!revisions) return undefined;
  if (revision !== undefined) return revisions[revision - 1];
  return [...revisions].reverse().find((r) => r.definition.status === 'ACTIVE');
}
