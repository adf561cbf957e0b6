import type { Action, Listener, LoadBalancer, TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ScopeState, StoredAction, StoredListener, StoredLoadBalancer, StoredTargetGroup } from './model.js';

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

/** Load balancers whose listeners forward to the group. */
export function loadBalancerArnsOf(scope: ScopeState, targetGroupArn: string): string[] {
  const arns = new Set<string>();
  for (const listener of scope.listeners.values()) {
    if (forwardsTo(listener, targetGroupArn)) arns.add(listener.loadBalancerArn);
  }
  return [...arns];
}

export function forwardsTo(listener: StoredListener, targetGroupArn: string): boolean {
  return listener.defaultActions.some((a) => a.type === 'forward' && a.groups.some((g) => g.targetGroupArn === targetGroupArn));
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
