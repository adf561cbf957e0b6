import type { Clock } from '../../clock.js';
import type { RequestContext } from '../../request-context.js';
import type { LoadBalancerDataPlane } from '../../runtime/load-balancer/data-plane.js';
import type { ScopeState, StoredTarget, StoredTargetGroup } from './model.js';
import type { Elbv2Store } from './store.js';
import type { TargetHealthView } from './load-balancing-plane.js';
import { targetHealthView } from './target-health.js';
import { forwardsTo } from './views.js';

type Scope = Pick<RequestContext, 'account' | 'region'>;

/**
 * What ELBv2's operations and the LoadBalancingPlane share: the store, the
 * data plane, and target registration with its draining timers (one place, so
 * ECS and the API deregister targets the same way).
 */
export class Elbv2Context {
  private readonly drainTimers = new Map<string, () => void>();

  constructor(
    readonly store: Elbv2Store,
    readonly clock: Clock,
    readonly host: string,
    readonly dataPlane: LoadBalancerDataPlane,
    /** State changed outside an API call; the state directory saves it. */
    readonly markDirty: () => void,
    private readonly log: (line: string) => void,
  ) {}

  scope(ctx: Scope): ScopeState {
    return this.store.scope(ctx);
  }

  /** Configuration changed: health checks follow (start, stop, reset). */
  changed(): void {
    this.dataPlane.syncHealthChecks();
  }

  groupInUse(scope: ScopeState, targetGroupArn: string): boolean {
    for (const listener of scope.listeners.values()) if (forwardsTo(scope, listener, targetGroupArn)) return true;
    return false;
  }

  health(scope: ScopeState, group: StoredTargetGroup, target: StoredTarget | undefined): TargetHealthView {
    return targetHealthView(target, {
      groupInUse: this.groupInUse(scope, group.arn),
      healthChecksEnabled: group.healthCheck.enabled,
      health: target ? this.dataPlane.health(group.arn, target.id, target.port) : undefined,
    });
  }

  /** Registers targets; a draining target registered again is registered afresh. */
  register(group: StoredTargetGroup, targets: Array<{ id: string; port: number; availabilityZone: string | undefined; ecsTask?: boolean }>): void {
    for (const t of targets) {
      const existing = group.targets.find((r) => r.id === t.id && r.port === t.port);
      if (existing && existing.drainingUntil === undefined) continue;
      if (existing) {
        this.cancelDrain(group.arn, existing);
        delete existing.drainingUntil;
        continue;
      }
      group.targets.push({ id: t.id, port: t.port, availabilityZone: t.availabilityZone, ...(t.ecsTask ? { ecsTask: true } : {}) });
    }
    this.changed();
  }

  /**
   * Starts draining: no new requests, in-flight ones complete. ALB shows the
   * target as draining for the whole deregistration delay (even when it has
   * no connections left), then it is gone.
   */
  deregister(group: StoredTargetGroup, targets: Array<{ id: string; port: number }>): void {
    const delaySeconds = Number(group.attributes['deregistration_delay.timeout_seconds'] ?? '300');
    for (const t of targets) {
      const target = group.targets.find((r) => r.id === t.id && r.port === t.port);
      if (!target || target.drainingUntil !== undefined) continue;
      if (delaySeconds <= 0) {
        this.remove(group, target);
        continue;
      }
      target.drainingUntil = this.clock.now() + delaySeconds * 1000;
      const key = this.key(group.arn, target);
      this.drainTimers.set(
        key,
        this.clock.after(delaySeconds * 1000, () => {
          this.drainTimers.delete(key);
          if (group.targets.includes(target) && target.drainingUntil !== undefined) {
            this.remove(group, target);
            this.log(`elbv2: target ${target.id}:${target.port} finished draining from ${group.name}`);
            this.markDirty();
            this.changed();
          }
        }),
      );
    }
    this.changed();
  }

  /** Removes a listener and its rules from the store (closing its port is the caller's). */
  dropListener(scope: ScopeState, listenerArn: string): void {
    scope.listeners.delete(listenerArn);
    for (const rule of [...scope.rules.values()]) if (rule.listenerArn === listenerArn) scope.rules.delete(rule.arn);
  }

  /** Forgets a deleted group's timers. */
  dropGroup(group: StoredTargetGroup): void {
    for (const target of group.targets) this.cancelDrain(group.arn, target);
  }

  close(): void {
    for (const cancel of this.drainTimers.values()) cancel();
    this.drainTimers.clear();
  }

  private remove(group: StoredTargetGroup, target: StoredTarget): void {
    this.cancelDrain(group.arn, target);
    group.targets = group.targets.filter((r) => r !== target);
  }

  private cancelDrain(groupArn: string, target: StoredTarget): void {
    const key = this.key(groupArn, target);
    this.drainTimers.get(key)?.();
    this.drainTimers.delete(key);
  }

  private key(groupArn: string, target: StoredTarget): string {
    return `${groupArn}|${target.id}|${target.port}`;
  }
}
