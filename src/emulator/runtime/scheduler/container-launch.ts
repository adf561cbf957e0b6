import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import type { LocalImage } from '../../services/ecr/image-registry.js';
import type { ContainerHealthCheckSpec, ContainerLaunch } from '../task-driver.js';

/** ECS's defaults for a container health check (seconds). */
export const HEALTH_CHECK_DEFAULTS = { intervalSeconds: 30, timeoutSeconds: 5, retries: 3, startPeriodSeconds: 0 } as const;
/** ECS waits 30 seconds between SIGTERM and SIGKILL unless stopTimeout says otherwise. */
export const DEFAULT_STOP_TIMEOUT_SECONDS = 30;

/**
 * How a container definition runs as a local process. The local image has one
 * command (Docker's ENTRYPOINT and CMD in one); `entryPoint` replaces it and
 * `command` is appended as arguments. The environment is explicit: PATH and
 * HOME from the emulator, the container's environment, then PORT = the host
 * port of its first port mapping (PORT wins, so the app binds where the load
 * balancer sends traffic).
 */
export function buildContainerLaunch(
  def: ContainerDefinition,
  image: LocalImage,
  hostPorts: number[],
  inherited: { PATH?: string | undefined; HOME?: string | undefined },
): ContainerLaunch {
  const env: Record<string, string> = {};
  if (inherited.PATH !== undefined) env.PATH = inherited.PATH;
  if (inherited.HOME !== undefined) env.HOME = inherited.HOME;
  for (const pair of def.environment ?? []) {
    if (pair.name) env[pair.name] = pair.value ?? '';
  }
  const firstPort = hostPorts[0];
  if (firstPort !== undefined) env.PORT = String(firstPort);
  const base = def.entryPoint && def.entryPoint.length > 0 ? def.entryPoint : image.command;
  return {
    name: def.name ?? '',
    command: [...base, ...(def.command ?? [])],
    cwd: def.workingDirectory ?? image.cwd,
    env,
    essential: def.essential !== false,
    stopTimeoutSeconds: def.stopTimeout ?? DEFAULT_STOP_TIMEOUT_SECONDS,
    healthCheck: healthCheckSpec(def),
    dependsOn: (def.dependsOn ?? []).map((d) => ({ containerName: d.containerName ?? '', condition: d.condition ?? 'START' })),
  };
}

export function healthCheckSpec(def: ContainerDefinition): ContainerHealthCheckSpec | undefined {
  const hc = def.healthCheck;
  // ["NONE"] turns off a health check, as Docker reads it.
  if (!hc?.command || hc.command.length === 0 || hc.command[0] === 'NONE') return undefined;
  return {
    command: hc.command,
    intervalSeconds: hc.interval ?? HEALTH_CHECK_DEFAULTS.intervalSeconds,
    timeoutSeconds: hc.timeout ?? HEALTH_CHECK_DEFAULTS.timeoutSeconds,
    retries: hc.retries ?? HEALTH_CHECK_DEFAULTS.retries,
    startPeriodSeconds: hc.startPeriod ?? HEALTH_CHECK_DEFAULTS.startPeriodSeconds,
  };
}
