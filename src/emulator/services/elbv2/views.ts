import type { Action, Listener, LoadBalancer, Rule, RuleCondition, TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import type {
  ScopeState, StoredAction, StoredCondition, StoredListener, StoredLoadBalancer, StoredRule, StoredTargetGroup,
} from './model.js';

/** Stored resources rendered as the API returns them. */

/** Route 53 hosted zone ids of ALBs per region; us-east-1's for any region not listed. */
const CANONICAL_HOSTED_ZONES: Record<string, string> = {
  'us-east-1': 'Z35SXDOTRQ7X7K',
  'us-east-2': 'Z3AADJGX6KTTL2',
  'us-west-1': 'Z368ELLRRE2KJ0',
  'us-west-2': 'Z1H1FL5HABSF5',
  'eu-west-1': 'Z32O12XQLNTSW2',
  'eu-central-1': 'Z215JYRZR1TBD5',
  'ap-northeast-1': 'Z14GRHDCWA56QT',
};

export function loadBalancerView(lb: StoredLoadBalancer): LoadBalancer {
  const region = lb.arn.split(':')[3] ?? 'us-east-1';
  return {
    LoadBalancerArn: lb.arn,
    DNSName: lb.dnsName,
    CanonicalHostedZoneId: CANONICAL_HOSTED_ZONES[region] ?? CANONICAL_HOSTED_ZONES['us-east-1'],
    CreatedTime: lb.createdTime,
    LoadBalancerName: lb.name,
    Scheme: lb.scheme,
    VpcId: lb.vpcId,
    State: { Code: 'active' },
    Type: 'application',
    AvailabilityZones: lb.subnets.map((subnet, i) => ({ ZoneName: `${region}${'abcdef'[i % 6]}`, SubnetId: subnet, LoadBalancerAddresses: [] })),
    SecurityGroups: lb.securityGroups,
    IpAddressType: lb.ipAddressType as LoadBalancer['IpAddressType'],
  };
}

/** Load balancers whose listeners (default actions or rules) forward to the group. */
export function loadBalancerArnsOf(scope: ScopeState, targetGroupArn: string): string[] {
  const arns = new Set<string>();
  for (const listener of scope.listeners.values()) {
    if (forwardsTo(scope, listener, targetGroupArn)) arns.add(listener.loadBalancerArn);
  }
  return [...arns];
}

const actionsForwardTo = (actions: StoredAction[], targetGroupArn: string): boolean =>
  actions.some((a) => a.type === 'forward' && a.groups.some((g) => g.targetGroupArn === targetGroupArn));

/** Whether the listener's default action or any of its rules forwards to the group. */
export function forwardsTo(scope: ScopeState, listener: StoredListener, targetGroupArn: string): boolean {
  if (actionsForwardTo(listener.defaultActions, targetGroupArn)) return true;
  for (const rule of scope.rules.values()) {
    if (rule.listenerArn === listener.arn && actionsForwardTo(rule.actions, targetGroupArn)) return true;
  }
  return false;
}

export function targetGroupView(group: StoredTargetGroup, scope: ScopeState): TargetGroup {
  const hc = group.healthCheck;
  return {
    TargetGroupArn: group.arn,
    TargetGroupName: group.name,
    Protocol: group.protocol as TargetGroup['Protocol'],
    Port: group.port,
    VpcId: group.vpcId,
    HealthCheckProtocol: hc.protocol as TargetGroup['HealthCheckProtocol'],
    HealthCheckPort: hc.port,
    HealthCheckEnabled: hc.enabled,
    HealthCheckIntervalSeconds: hc.intervalSeconds,
    HealthCheckTimeoutSeconds: hc.timeoutSeconds,
    HealthyThresholdCount: hc.healthyThreshold,
    UnhealthyThresholdCount: hc.unhealthyThreshold,
    HealthCheckPath: hc.path,
    Matcher: { HttpCode: hc.matcher },
    LoadBalancerArns: loadBalancerArnsOf(scope, group.arn),
    TargetType: group.targetType,
    ProtocolVersion: group.protocolVersion,
    IpAddressType: group.ipAddressType as TargetGroup['IpAddressType'],
  };
}

/** A forward to one group shows both TargetGroupArn and ForwardConfig, as ALB returns it. */
export function actionView(action: StoredAction): Action {
  switch (action.type) {
    case 'forward': {
      const only = action.groups.length === 1 ? action.groups[0] : undefined;
      return {
        Type: 'forward',
        Order: action.order,
        TargetGroupArn: only?.targetGroupArn,
        ForwardConfig: {
          TargetGroups: action.groups.map((g) => ({ TargetGroupArn: g.targetGroupArn, Weight: g.weight })),
          TargetGroupStickinessConfig: {
            Enabled: action.stickiness.enabled,
            DurationSeconds: action.stickiness.durationSeconds,
          },
        },
      };
    }
    case 'fixed-response':
      return {
        Type: 'fixed-response',
        Order: action.order,
        FixedResponseConfig: { StatusCode: action.statusCode, ContentType: action.contentType, MessageBody: action.messageBody },
      };
    case 'redirect':
      return {
        Type: 'redirect',
        Order: action.order,
        RedirectConfig: {
          Protocol: action.protocol,
          Port: action.port,
          Host: action.host,
          Path: action.path,
          Query: action.query,
          StatusCode: action.statusCode,
        },
      };
  }
}

export function listenerView(listener: StoredListener): Listener {
  return {
    ListenerArn: listener.arn,
    LoadBalancerArn: listener.loadBalancerArn,
    Port: listener.port,
    Protocol: listener.protocol as Listener['Protocol'],
    DefaultActions: listener.defaultActions.map(actionView),
  };
}

/** host-header and path-pattern show both the legacy Values and their config, as ALB returns them. */
export function conditionView(condition: StoredCondition): RuleCondition {
  switch (condition.field) {
    case 'path-pattern':
      return { Field: condition.field, Values: condition.values, PathPatternConfig: { Values: condition.values } };
    case 'host-header':
      return { Field: condition.field, Values: condition.values, HostHeaderConfig: { Values: condition.values } };
    case 'http-header':
      return { Field: condition.field, HttpHeaderConfig: { HttpHeaderName: condition.name, Values: condition.values } };
    case 'http-request-method':
      return { Field: condition.field, HttpRequestMethodConfig: { Values: condition.values } };
    case 'query-string':
      return { Field: condition.field, QueryStringConfig: { Values: condition.values.map((v) => ({ Key: v.key, Value: v.value })) } };
    case 'source-ip':
      return { Field: condition.field, SourceIpConfig: { Values: condition.values } };
  }
}

export function ruleView(rule: StoredRule): Rule {
  return {
    RuleArn: rule.arn,
    Priority: String(rule.priority),
    Conditions: rule.conditions.map(conditionView),
    Actions: rule.actions.map(actionView),
    IsDefault: false,
  };
}

/** The listener's default rule: its default actions, no conditions, priority "default". */
export function defaultRuleView(listener: StoredListener): Rule {
  return {
    RuleArn: listener.defaultRuleArn,
    Priority: 'default',
    Conditions: [],
    Actions: listener.defaultActions.map(actionView),
    IsDefault: true,
  };
}
