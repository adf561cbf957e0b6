import type { Service } from '@aws-sdk/client-ecs';
import { RolloutError, systemError } from '../spec/errors.js';
import type { Clock } from './clock.js';
import type { EcsPort, ServiceControlPort } from './ports.js';

export interface ScaleRequest {
  cluster: string;
  service: string;
  desiredCount: number;
  /** Follow until the service runs exactly that many tasks. */
  wait: boolean;
  timeoutMs: number;
  pollIntervalMs: number;
}

export interface ScaleResult {
  outcome: 'scaled' | 'requested' | 'unchanged' | 'timed-out';
  cluster: string;
  service: string;
  from: number;
  to: number;
  running: number;
  pending: number;
  message: string;
}

/** Where the service stands against the count it was asked for. Pure. */
export function scaleProgress(service: Service, to: number): { running: number; pending: number; settled: boolean } {
  const running = service.runningCount ?? 0;
  const pending = service.pendingCount ?? 0;
  return { running, pending, settled: running === to && pending === 0 };
}

/**
 * Changes only the service's desired count (UpdateService desiredCount; no
 * new deployment, no new revision), and with `wait` follows it until exactly
 * that many tasks run. `onProgress` hears each change of the running and
 * pending counts.
 */
export async function scaleService(
  ports: { ecs: EcsPort; services: ServiceControlPort },
  request: ScaleRequest,
  clock: Clock,
  onProgress: (progress: { running: number; pending: number; desired: number }) => void = () => undefined,
  signal?: AbortSignal,
): Promise<ScaleResult> {
  const { cluster, service: name, desiredCount: to } = request;
  const read = async (): Promise<Service> => {
    let found: Service | undefined;
    try {
      found = await ports.ecs.findService(cluster, name, signal);
    } catch (err) {
      throw systemError(`describe service ${name} in cluster ${cluster}`, err);
    }
    if (!found || found.status !== 'ACTIVE') throw new RolloutError('InvalidArguments', `service ${name} ${found ? `is ${found.status}` : 'does not exist'} in cluster ${cluster}; check --cluster and --service`);
    return found;
  };
  const before = await read();
  const from = before.desiredCount ?? 0;
  const frame = { cluster, service: name, from, to };
  if (from !== to) {
    try {
      await ports.services.setDesiredCount(cluster, name, to, signal);
    } catch (err) {
      throw systemError(`set the desired count of service ${name} in cluster ${cluster} to ${to}`, err);
    }
  }
  const verb = from === to ? `already wants ${to} task${to === 1 ? '' : 's'}` : `desired count ${from} -> ${to}`;
  if (!request.wait) {
    const now = scaleProgress(before, to);
    return { ...frame, ...now, outcome: from === to ? 'unchanged' : 'requested', message: `service ${name} in cluster ${cluster}: ${verb} (runs ${now.running} now; --wait follows it)` };
  }
  const deadline = clock.now() + request.timeoutMs;
  let last = '';
  for (;;) {
    const now = scaleProgress(await read(), to);
    const key = `${now.running}/${now.pending}`;
    if (key !== last) {
      last = key;
      onProgress({ running: now.running, pending: now.pending, desired: to });
    }
    if (now.settled) return { ...frame, ...now, outcome: from === to ? 'unchanged' : 'scaled', message: `service ${name} in cluster ${cluster}: ${verb}; ${now.running} running` };
    if (clock.now() >= deadline) {
      return { ...frame, ...now, outcome: 'timed-out', message: `service ${name} in cluster ${cluster}: ${verb}, but ${now.running} run and ${now.pending} are pending after the timeout; ECS keeps going (the service events say why: ecs-rollout status)` };
    }
    await clock.sleep(request.pollIntervalMs, signal);
  }
}
