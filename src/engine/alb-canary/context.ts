import type { TrafficRoute } from '../../spec/alb-canary.js';
import type { Clock } from '../clock.js';
import type { EventBody } from '../events.js';
import type { AlbCanaryPorts } from '../ports.js';
import { encodeState, TAG, type CanaryState } from './state-tag.js';

/** A service of the pair, with the target group it is registered in. */
export interface ServiceRef {
  name: string;
  arn: string;
  targetGroupArn: string;
}

/** What every part of the canary driver shares: where, with what, and how it reports. */
export interface CanaryContext {
  ports: AlbCanaryPorts;
  clock: Clock;
  signal: AbortSignal | undefined;
  emit: (event: EventBody) => void;
  pollIntervalMs: number;
  /** How long any one wait on AWS (tasks healthy, weights confirmed) may take. */
  timeoutMs: number;
  /** How many times faster than real time a step's durations run (the emulator's speed; 1 against AWS). */
  stepSpeed: number;
  cluster: string;
  stable: ServiceRef;
  canary: ServiceRef;
  route: TrafficRoute;
  /** user@host, recorded with what this process writes. */
  who: string;
}

/**
 * The deploy's record of its canary in the canary service's tags: every
 * change is written at once, and rewritten every heartbeat while waiting so
 * others can tell this deploy is alive.
 */
export class CanaryRecorder {
  private lastWrite = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly ctx: CanaryContext,
    private current: CanaryState,
  ) {}

  get state(): CanaryState {
    return this.current;
  }

  async update(change: Partial<CanaryState>): Promise<void> {
    this.current = { ...this.current, ...change, updatedAt: this.ctx.clock.now() };
    await this.write();
  }

  /** Rewrites the state when a heartbeat is due; nothing otherwise. */
  async beat(): Promise<void> {
    if (this.ctx.clock.now() - this.lastWrite < this.current.heartbeatMs) return;
    await this.update({});
  }

  private async write(): Promise<void> {
    const { ports, canary, route, signal } = this.ctx;
    this.lastWrite = this.ctx.clock.now();
    await ports.services.writeTags(canary.arn, [{ key: TAG.state, value: encodeState(this.current) }, { key: TAG.route, value: route.arn }], signal);
  }
}
