import { Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import type { Clock } from '../../clock.js';
import { sendElbError, sendFixedResponse } from './elb-responses.js';
import type { CodeRange } from './health-matcher.js';
import { HealthMonitor, STARTUP_ALLOWANCE_REAL_MS } from './health-monitor.js';
import type { HealthState } from './health-state.js';
import { bindListenerServer, type BoundListener } from './listener-server.js';
import { proxyRequest } from './proxy.js';
import { selectRule, type RuleCondition } from './rule-matching.js';
import { pickTarget, type RoutingHealth } from './target-selection.js';
import { TrafficMetrics } from './traffic-metrics.js';
import { initialWeightedState, nextWeighted, type WeightedRoundRobinState } from './weighted-choice.js';

/**
 * The load balancer's data plane: one real HTTP server per listener, routing
 * by the listener's rules (first match in priority order, else the default
 * action), health checks per registered target and
 * traffic counters. It reads configuration live from a RoutingSource (the
 * ELBv2 store), so API changes apply to the next request.
 */

export type RouteAction =
  | { type: 'forward'; groups: Array<{ targetGroupArn: string; weight: number }> }
  | { type: 'fixed-response'; statusCode: number; contentType: string | undefined; body: string | undefined }
  | { type: 'redirect'; statusCode: 301 | 302; location: (req: { host: string; path: string }) => string };

export interface RoutedRule {
  /** Identifies the rule's weighted-forwarding state (the rule's ARN). */
  key: string;
  priority: number;
  conditions: RuleCondition[];
  action: RouteAction;
}

export interface RoutedListener {
  loadBalancerArn: string;
  port: number;
  /** The default rule's action, taken when no rule matches. */
  action: RouteAction;
  rules: RoutedRule[];
}

export interface RoutedTarget {
  id: string;
  port: number;
  draining: boolean;
  /** A task process the emulator started: its start-up is allowed for (health-monitor.ts). */
  ecsTask: boolean;
}

export interface RoutedHealthCheck {
  enabled: boolean;
  path: string;
  /** 'traffic-port' or a port number. */
  port: 'traffic-port' | number;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  ranges: readonly CodeRange[];
}

export interface RoutedTargetGroup {
  arn: string;
  targets: RoutedTarget[];
  healthCheck: RoutedHealthCheck;
  /** Used by a listener of an existing load balancer: only then are targets checked and routed to. */
  inUse: boolean;
}

export interface RoutingSource {
  listener(listenerArn: string): RoutedListener | undefined;
  targetGroup(targetGroupArn: string): RoutedTargetGroup | undefined;
  idleTimeoutSeconds(loadBalancerArn: string): number;
  /** Every target group that exists, in every account and region. */
  targetGroups(): RoutedTargetGroup[];
}

export interface DataPlaneDeps {
  clock: Clock;
  host: string;
  listenerPortMap: ReadonlyMap<number, number>;
  log: (line: string) => void;
  source: RoutingSource;
}

export const targetKey = (targetGroupArn: string, id: string, port: number): string => `${targetGroupArn}|${id}|${port}`;

export class LoadBalancerDataPlane {
  readonly metrics = new TrafficMetrics();
  private readonly listeners = new Map<string, BoundListener>();
  private readonly monitors = new Map<string, HealthMonitor>();
  private readonly inFlight = new Map<string, number>();
  private readonly agents = new Map<string, Agent>();
  private readonly weighted = new Map<string, WeightedRoundRobinState>();
  private readonly turns = new Map<string, number>();

  constructor(private readonly deps: DataPlaneDeps) {}

  /** The local port a listener port is served on. */
  localPort(listenerPort: number): number {
    return this.deps.listenerPortMap.get(listenerPort) ?? listenerPort;
  }

  /** Serves a listener on its (mapped) port; rejects with ListenerBindError. */
  async openListener(listenerArn: string, listenerPort: number): Promise<void> {
    const bound = await bindListenerServer(this.deps.host, this.localPort(listenerPort), listenerPort, (req, res) =>
      this.route(listenerArn, req, res),
    );
    const previous = this.listeners.get(listenerArn);
    this.listeners.set(listenerArn, bound);
    await previous?.close();
  }

  async closeListener(listenerArn: string): Promise<void> {
    const bound = this.listeners.get(listenerArn);
    this.listeners.delete(listenerArn);
    for (const key of this.weighted.keys()) if (key.startsWith(`${listenerArn}|`)) this.weighted.delete(key);
    await bound?.close();
  }

  isServing(listenerArn: string): boolean {
    return this.listeners.has(listenerArn);
  }

  /** Health as the checks see it; undefined for targets that are not being checked. */
  health(targetGroupArn: string, id: string, port: number): HealthState | undefined {
    return this.monitors.get(targetKey(targetGroupArn, id, port))?.current();
  }

  inFlightRequests(targetGroupArn: string, id: string, port: number): number {
    return this.inFlight.get(targetKey(targetGroupArn, id, port)) ?? 0;
  }

  /**
   * Starts health checks for every registered, non-draining target of a group
   * in use, and stops those no longer wanted (their health starts over).
   * Called after every configuration change.
   */
  syncHealthChecks(): void {
    const wanted = new Set<string>();
    for (const group of this.deps.source.targetGroups()) {
      if (!group.inUse || !group.healthCheck.enabled) continue;
      for (const target of group.targets) {
        if (target.draining) continue;
        const key = targetKey(group.arn, target.id, target.port);
        wanted.add(key);
        if (this.monitors.has(key)) continue;
        const monitor = new HealthMonitor(
          this.deps.clock,
          () => this.checkSettings(group.arn, target.id, target.port),
          (health) => this.deps.log(`elbv2: target ${target.id}:${target.port} in ${shortName(group.arn)} is ${health.state}`),
          target.ecsTask ? STARTUP_ALLOWANCE_REAL_MS : 0,
        );
        this.monitors.set(key, monitor);
        monitor.start();
      }
    }
    for (const [key, monitor] of this.monitors) {
      if (wanted.has(key)) continue;
      monitor.stop();
      this.monitors.delete(key);
    }
  }

  async close(): Promise<void> {
    for (const monitor of this.monitors.values()) monitor.stop();
    this.monitors.clear();
    await Promise.all([...this.listeners.keys()].map((arn) => this.closeListener(arn)));
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }

  private checkSettings(targetGroupArn: string, id: string, port: number) {
    const group = this.deps.source.targetGroup(targetGroupArn);
    const target = group?.targets.find((t) => t.id === id && t.port === port);
    if (!group || !target || target.draining || !group.inUse || !group.healthCheck.enabled) return undefined;
    const hc = group.healthCheck;
    return {
      path: hc.path,
      port: hc.port === 'traffic-port' ? port : hc.port,
      host: this.targetHost(id),
      intervalSeconds: hc.intervalSeconds,
      timeoutSeconds: hc.timeoutSeconds,
      healthyThreshold: hc.healthyThreshold,
      unhealthyThreshold: hc.unhealthyThreshold,
      ranges: hc.ranges,
    };
  }

  /** IP targets are reached at their address; instance ids run on this machine. */
  private targetHost(id: string): string {
    return isIP(id) ? id : this.deps.host;
  }

  private routingHealth(group: RoutedTargetGroup, target: RoutedTarget): RoutingHealth {
    if (!group.healthCheck.enabled) return 'unavailable';
    return this.health(group.arn, target.id, target.port)?.state ?? 'initial';
  }

  private route(listenerArn: string, req: IncomingMessage, res: ServerResponse): void {
    const listener = this.deps.source.listener(listenerArn);
    if (!listener) return sendElbError(res, 503);
    const rule = selectRule(listener.rules, {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      host: String(req.headers.host ?? ''),
      headers: req.headers,
      sourceIp: req.socket.remoteAddress ?? '',
    });
    const action = rule?.action ?? listener.action;
    if (action.type === 'fixed-response') {
      sendFixedResponse(res, action);
      this.record(listener.loadBalancerArn, undefined, { kind: 'elb', status: action.statusCode });
      req.resume();
      return;
    }
    if (action.type === 'redirect') {
      const location = action.location({ host: String(req.headers.host ?? ''), path: req.url ?? '/' });
      res.writeHead(action.statusCode, { location, 'content-length': 0 });
      res.end();
      req.resume();
      return;
    }
    const groupArn = this.chooseGroup(`${listenerArn}|${rule?.key ?? 'default'}`, action.groups);
    const group = groupArn ? this.deps.source.targetGroup(groupArn) : undefined;
    if (!group) {
      this.fail(res, req, listener.loadBalancerArn, groupArn, 503);
      return;
    }
    const candidates = group.targets.map((t) => ({ draining: t.draining, health: this.routingHealth(group, t) }));
    const turn = this.turns.get(group.arn) ?? 0;
    this.turns.set(group.arn, turn + 1);
    const index = pickTarget(candidates, turn);
    const target = index === undefined ? undefined : group.targets[index];
    if (!target) {
      this.fail(res, req, listener.loadBalancerArn, group.arn, 503);
      return;
    }
    void this.forward(req, res, listener, group.arn, target);
  }

  private async forward(
    req: IncomingMessage,
    res: ServerResponse,
    listener: RoutedListener,
    groupArn: string,
    target: RoutedTarget,
  ): Promise<void> {
    const key = targetKey(groupArn, target.id, target.port);
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    try {
      const outcome = await proxyRequest(
        req,
        res,
        { host: this.targetHost(target.id), port: target.port, agent: this.agent(target) },
        {
          listenerPort: listener.port,
          idleTimeoutRealMs: this.deps.clock.toReal(this.deps.source.idleTimeoutSeconds(listener.loadBalancerArn) * 1000),
          now: () => this.deps.clock.now(),
        },
      );
      // 460 is ALB's code for a client that closed the connection first: not an ELB 4xx sent to anyone.
      if (!(outcome.kind === 'elb' && outcome.status === 460)) this.record(listener.loadBalancerArn, groupArn, outcome);
    } finally {
      const left = (this.inFlight.get(key) ?? 1) - 1;
      if (left > 0) this.inFlight.set(key, left);
      else this.inFlight.delete(key);
    }
  }

  private fail(res: ServerResponse, req: IncomingMessage, lbArn: string, groupArn: string | undefined, status: 503): void {
    req.resume();
    sendElbError(res, status);
    this.record(lbArn, groupArn, { kind: 'elb', status });
  }

  private record(lbArn: string, groupArn: string | undefined, outcome: Parameters<TrafficMetrics['record']>[3]): void {
    this.metrics.record(this.deps.clock.now(), lbArn, groupArn, outcome);
  }

  /** `ruleKey` is `listenerArn|rule`: each rule keeps its own weighted cycle. */
  private chooseGroup(ruleKey: string, groups: Array<{ targetGroupArn: string; weight: number }>): string | undefined {
    if (groups.length === 1) return groups[0]?.targetGroupArn;
    const stateKey = `${ruleKey}|${groups.map((g) => `${g.targetGroupArn}=${g.weight}`).join(',')}`;
    const picked = nextWeighted(
      groups.map((g) => g.weight),
      this.weighted.get(stateKey) ?? initialWeightedState(groups.length),
    );
    if (!picked) return undefined;
    // Only the current weights' state is kept: a weight change starts a fresh cycle.
    for (const key of this.weighted.keys()) if (key.startsWith(`${ruleKey}|`) && key !== stateKey) this.weighted.delete(key);
    this.weighted.set(stateKey, picked.state);
    return groups[picked.index]?.targetGroupArn;
  }

  private agent(target: RoutedTarget): Agent {
    const key = `${this.targetHost(target.id)}:${target.port}`;
    let agent = this.agents.get(key);
    if (!agent) this.agents.set(key, (agent = new Agent({ keepAlive: true, maxSockets: 128 })));
    return agent;
  }
}

function shortName(arn: string): string {
  return arn.split(':').pop() ?? arn;
}
