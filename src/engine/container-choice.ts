import type { ContainerDefinition } from '@aws-sdk/client-ecs';

export type ContainerChoice =
  | { ok: true; container: ContainerDefinition & { name: string; image: string } }
  | { ok: false; message: string };

/**
 * Which container gets the new image: the named one, or the only one.
 * With several containers and no name the user must choose; we list them.
 */
export function chooseContainer(
  containers: readonly ContainerDefinition[],
  requested: string | undefined,
  taskDefinitionLabel: string,
): ContainerChoice {
  const names = containers.map((c) => c.name ?? '(unnamed)');
  const list = names.join(', ');
  let chosen: ContainerDefinition | undefined;
  if (requested !== undefined) {
    chosen = containers.find((c) => c.name === requested);
    if (!chosen) return { ok: false, message: `task definition ${taskDefinitionLabel} has no container named ${requested}; its containers are: ${list}` };
  } else if (containers.length === 1) {
    chosen = containers[0];
  } else if (containers.length === 0) {
    return { ok: false, message: `task definition ${taskDefinitionLabel} has no containers` };
  } else {
    return { ok: false, message: `task definition ${taskDefinitionLabel} has ${containers.length} containers (${list}); pass --container NAME to say which one gets the new image` };
  }
  if (!chosen?.name || chosen.image === undefined) {
    return { ok: false, message: `container ${chosen?.name ?? '(unnamed)'} of task definition ${taskDefinitionLabel} has no image to replace` };
  }
  return { ok: true, container: { ...chosen, name: chosen.name, image: chosen.image } };
}
