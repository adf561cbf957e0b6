import { scopeKey } from '../../request-context.js';
import type { Persistent } from '../../state-directory.js';
import { ruleArn } from './arns.js';
import type { ScopeState, StoredListener, StoredLoadBalancer, StoredRule, StoredTargetGroup } from './model.js';

type Scope = { account: string; region: string };

interface SavedScope {
  loadBalancers: StoredLoadBalancer[];
  targetGroups: StoredTargetGroup[];
  listeners: StoredListener[];
  /** Absent in snapshots taken before listener rules existed. */
  rules?: StoredRule[];
}

/**
 * Load balancers, target groups, listeners and their rules per account and region. A
 * snapshot keeps registered targets but not draining ones: after a restart
 * their deregistration is over, and health starts again at 'initial'.
 */
export class Elbv2Store implements Persistent {
  readonly stateName = 'elbv2';
  private scopes = new Map<string, ScopeState>();

  scope(scope: Scope): ScopeState {
    const key = scopeKey(scope);
    let state = this.scopes.get(key);
    if (!state) this.scopes.set(key, (state = { loadBalancers: new Map(), targetGroups: new Map(), listeners: new Map(), rules: new Map() }));
    return state;
  }

  allScopes(): ScopeState[] {
    return [...this.scopes.values()];
  }

  findListener(arn: string): StoredListener | undefined {
    for (const s of this.scopes.values()) {
      const found = s.listeners.get(arn);
      if (found) return found;
    }
    return undefined;
  }

  /** The listener's rules other than the default one, lowest priority number first. */
  rulesOf(listenerArn: string): StoredRule[] {
    for (const s of this.scopes.values()) {
      if (!s.listeners.has(listenerArn)) continue;
      return [...s.rules.values()].filter((r) => r.listenerArn === listenerArn).sort((a, b) => a.priority - b.priority);
    }
    return [];
  }

  findTargetGroup(arn: string): { group: StoredTargetGroup; scope: ScopeState } | undefined {
    for (const s of this.scopes.values()) {
      const group = s.targetGroups.get(arn);
      if (group) return { group, scope: s };
    }
    return undefined;
  }

  findLoadBalancer(arn: string): StoredLoadBalancer | undefined {
    for (const s of this.scopes.values()) {
      const found = s.loadBalancers.get(arn);
      if (found) return found;
    }
    return undefined;
  }

  snapshot(): unknown {
    const out: Record<string, SavedScope> = {};
    for (const [key, s] of this.scopes) {
      out[key] = {
        loadBalancers: [...s.loadBalancers.values()],
        targetGroups: [...s.targetGroups.values()].map((g) => ({
          ...g,
          targets: g.targets.filter((t) => t.drainingUntil === undefined),
        })),
        listeners: [...s.listeners.values()],
        rules: [...s.rules.values()],
      };
    }
    return out;
  }

  restore(data: unknown): void {
    const saved = data as Record<string, SavedScope>;
    this.scopes = new Map(
      Object.entries(saved).map(([key, s]) => [
        key,
        {
          loadBalancers: new Map(s.loadBalancers.map((lb) => [lb.arn, lb])),
          targetGroups: new Map(
            s.targetGroups.map((g) => [g.arn, { ...g, targets: g.targets.filter((t) => t.drainingUntil === undefined) }]),
          ),
          listeners: new Map(s.listeners.map((l) => [l.arn, { ...l, defaultRuleArn: l.defaultRuleArn ?? ruleArn(l.arn) }])),
          rules: new Map((s.rules ?? []).map((r) => [r.arn, r])),
        },
      ]),
    );
  }
}
