import { parseMatcher } from '../../runtime/load-balancer/health-matcher.js';
import type { RouteAction, RoutedTargetGroup, RoutingSource } from '../../runtime/load-balancer/data-plane.js';
import type { ScopeState, StoredAction, StoredTargetGroup } from './model.js';
import type { Elbv2Store } from './store.js';
import { forwardsTo } from './views.js';

/** The data plane's live view of the ELBv2 store. */
export function routingSource(store: Elbv2Store): RoutingSource {
  const inUse = (scope: ScopeState, arn: string): boolean => [...scope.listeners.values()].some((l) => forwardsTo(scope, l, arn));
  const routed = (group: StoredTargetGroup, scope: ScopeState): RoutedTargetGroup => {
    const hc = group.healthCheck;
    const matcher = parseMatcher(hc.matcher);
    return {
      arn: group.arn,
      inUse: inUse(scope, group.arn),
      targets: group.targets.map((t) => ({ id: t.id, port: t.port, draining: t.drainingUntil !== undefined, ecsTask: t.ecsTask === true })),
      healthCheck: {
        enabled: hc.enabled,
        path: hc.path,
        port: hc.port === 'traffic-port' ? 'traffic-port' : Number(hc.port),
        intervalSeconds: hc.intervalSeconds,
        timeoutSeconds: hc.timeoutSeconds,
        healthyThreshold: hc.healthyThreshold,
        unhealthyThreshold: hc.unhealthyThreshold,
        ranges: matcher.ok ? matcher.ranges : [{ from: 200, to: 200 }],
      },
    };
  };
  return {
    listener(arn) {
      const listener = store.findListener(arn);
      const action = listener && terminalAction(listener.defaultActions);
      if (!listener || !action) return undefined;
      const rules = store.rulesOf(arn).flatMap((rule) => {
        const ruleAction = terminalAction(rule.actions);
        return ruleAction
          ? [{ key: rule.arn, priority: rule.priority, conditions: rule.conditions, action: routeAction(ruleAction, listener.port) }]
          : [];
      });
      return { loadBalancerArn: listener.loadBalancerArn, port: listener.port, action: routeAction(action, listener.port), rules };
    },
    targetGroup(arn) {
      const found = store.findTargetGroup(arn);
      return found && routed(found.group, found.scope);
    },
    idleTimeoutSeconds(lbArn) {
      const value = Number(store.findLoadBalancer(lbArn)?.attributes['idle_timeout.timeout_seconds']);
      return Number.isFinite(value) && value > 0 ? value : 60;
    },
    targetGroups() {
      return store.allScopes().flatMap((scope) => [...scope.targetGroups.values()].map((g) => routed(g, scope)));
    },
  };
}

function terminalAction(actions: StoredAction[]): StoredAction | undefined {
  return [...actions].sort((a, b) => (a.order ?? 50000) - (b.order ?? 50000)).at(-1);
}

function routeAction(action: StoredAction, listenerPort: number): RouteAction {
  switch (action.type) {
    case 'forward':
      return { type: 'forward', groups: action.groups.map((g) => ({ targetGroupArn: g.targetGroupArn, weight: g.weight })) };
    case 'fixed-response':
      return {
        type: 'fixed-response',
        statusCode: Number(action.statusCode),
        contentType: action.contentType,
        body: action.messageBody,
      };
    case 'redirect':
      return {
        type: 'redirect',
        statusCode: action.statusCode === 'HTTP_301' ? 301 : 302,
        location: (req) => {
          const [hostOnly = ''] = req.host.split(':');
          const [path = '/', query = ''] = req.path.split('?');
          const fill = (template: string): string =>
            template
              .replaceAll('#{protocol}', 'http')
              .replaceAll('#{host}', hostOnly)
              .replaceAll('#{port}', String(listenerPort))
              .replaceAll('#{path}', path.replace(/^\//, ''))
              .replaceAll('#{query}', query);
          const protocol = fill(action.protocol).toLowerCase();
          const q = fill(action.query);
          return `${protocol}://${fill(action.host)}:${fill(action.port)}${fill(action.path)}${q ? `?${q}` : ''}`;
        },
      };
  }
}
