import type { AddressInfo } from 'node:net';
import { ECSClient } from '@aws-sdk/client-ecs';
import { CallLog } from '../../src/emulator/call-log.js';
import { createClock, type Clock } from '../../src/emulator/clock.js';
import type { ContainerLaunch, ContainerState, RunningTaskProcesses, TaskDriver } from '../../src/emulator/runtime/task-driver.js';
import { createFrontDoor, listen } from '../../src/emulator/server.js';
import type { ImageRegistry } from '../../src/emulator/services/ecr/image-registry.js';
import { createEcs } from '../../src/emulator/services/ecs/index.js';
import type { LoadBalancingPlane, Scope, TargetHealthView, TargetRef } from '../../src/emulator/services/elbv2/load-balancing-plane.js';
import { TEST_CREDENTIALS, TEST_REGION } from '../support/clients.js';

/**
 * Tiny in-test stand-ins for the ECS scheduler's neighbours. Every effect is
 * appended to `journal`, so tests can assert order (deregister before stop).
 *
 * Images: "app:good" runs and stays healthy; "app:crash" exits at once;
 * "app:sick" runs but its target never turns healthy; anything else is not in
 * the registry.
 */
export interface Fakes {
  journal: string[];
  live: Set<string>;
  maxLive: number;
  driver: TaskDriver;
  plane: LoadBalancingPlane & { targets: Map<string, TargetHealthView & { drainUntil?: number }> };
  registry: ImageRegistry;
}

export const TARGET_GROUP_ARN = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef';
export const DRAIN_MS = 5_000;

export function createFakes(clock: Clock): Fakes {
  const journal: string[] = [];
  const live = new Set<string>();
  const fakes: Fakes = {
    journal,
    live,
    maxLive: 0,
    registry: {
      resolve(image) {
        const tag = image.split(':')[1] ?? '';
        if (!image.startsWith('app:') || !['good', 'crash', 'sick'].includes(tag)) return { ok: false, reason: `pull access denied for ${image}: not found` };
        return { ok: true, image: { repositoryName: 'app', imageTag: tag, imageDigest: `sha256:${tag}`, command: [tag], cwd: undefined } };
      },
    },
    driver: {
      launch(taskId: string, containers: ContainerLaunch[]): RunningTaskProcesses {
        const listeners: Array<() => void> = [];
        const states: ContainerState[] = containers.map((c) => ({ name: c.name, lastStatus: 'PENDING', healthStatus: 'UNKNOWN', exitCode: undefined, reason: undefined, pid: 1 }));
        const crash = containers.some((c) => c.command[0] === 'crash');
        const ports = containers.map((c) => c.env.PORT ?? '');
        journal.push(`launch ${taskId} ${ports.join(',')}`);
        live.add(taskId);
        fakes.maxLive = Math.max(fakes.maxLive, live.size);
        setImmediate(() => {
          for (const s of states) {
            s.lastStatus = crash ? 'STOPPED' : 'RUNNING';
            if (crash) s.exitCode = 1;
          }
          if (crash) live.delete(taskId);
          for (const l of listeners) l();
        });
        return {
          containers: () => states.map((s) => ({ ...s })),
          onChange: (l) => listeners.push(l),
          onOutput: () => {},
          async stop() {
            journal.push(`stop ${taskId}`);
            live.delete(taskId);
            for (const s of states) if (s.lastStatus !== 'STOPPED') Object.assign(s, { lastStatus: 'STOPPED', exitCode: 143 });
          },
        };
      },
    },
    plane: {
      targets: new Map(),
      describeTargetGroup: (_scope: Scope, arn: string) =>
        arn === TARGET_GROUP_ARN ? { arn, name: 'web', port: 80, loadBalancerArns: ['arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web/1'] } : undefined,
      targetGroupArnByName: (_scope: Scope, name: string) => (name === 'web' ? TARGET_GROUP_ARN : undefined),
      registerTarget(_scope: Scope, t: TargetRef) {
        journal.push(`register ${t.port}`);
        fakes.plane.targets.set(`${t.targetGroupArn}|${t.port}`, { state: 'healthy' });
      },
      deregisterTarget(_scope: Scope, t: TargetRef) {
        journal.push(`deregister ${t.port}`);
        const key = `${t.targetGroupArn}|${t.port}`;
        if (fakes.plane.targets.has(key)) fakes.plane.targets.set(key, { state: 'draining', drainUntil: clock.now() + DRAIN_MS });
      },
      targetHealth(_scope: Scope, t: TargetRef) {
        const key = `${t.targetGroupArn}|${t.port}`;
        const view = fakes.plane.targets.get(key);
        if (view?.drainUntil !== undefined && clock.now() >= view.drainUntil) {
          fakes.plane.targets.delete(key);
          journal.push(`drained ${t.port}`);
          return undefined;
        }
        return view;
      },
      // No listeners here: blue/green tests use the real ELBv2.
      forwardWeights: () => undefined,
      setForwardWeights: () => false,
    },
  };
  return fakes;
}

/** ECS (with fakes) behind the real front door, driven by a real SDK client. */
export async function startFakeEcs(t: { after: (fn: () => Promise<void>) => void }, options: { speed?: number; clock?: Clock; fakes?: Fakes; restore?: unknown } = {}) {
  const clock = options.clock ?? createClock(options.speed ?? 100);
  const fakes = options.fakes ?? createFakes(clock);
  const ecs = createEcs({ clock, registry: fakes.registry, loadBalancing: fakes.plane, markDirty: () => {}, log: () => {}, driver: fakes.driver });
  if (options.restore !== undefined) ecs.state.restore(options.restore);
  ecs.start();
  const server = createFrontDoor({ services: [ecs.service], callLog: new CallLog(), afterWrite: () => {} });
  const address: AddressInfo = await listen(server, 0, '127.0.0.1');
  const client = new ECSClient({ endpoint: `http://127.0.0.1:${address.port}`, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    client.destroy();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await ecs.close();
  };
  t.after(close);
  return { clock, fakes, ecs, client, close };
}

/** Polls `check` until it returns a value (not undefined) or the real-time deadline passes. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
