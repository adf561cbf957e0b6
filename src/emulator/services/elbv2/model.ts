import type { RuleCondition } from '../../runtime/load-balancer/rule-matching.js';

/** What the ELBv2 store keeps, close to the API's shapes but with every default applied. */

export interface StoredTag {
  Key: string;
  Value: string;
}

export interface StoredLoadBalancer {
  arn: string;
  name: string;
  dnsName: string;
  createdTime: Date;
  scheme: 'internet-facing' | 'internal';
  ipAddressType: string;
  subnets: string[];
  securityGroups: string[];
  vpcId: string;
  attributes: Record<string, string>;
  tags: StoredTag[];
}

export interface StoredHealthCheck {
  protocol: string;
  /** "traffic-port" or a port number as a string, as the API spells it. */
  port: string;
  enabled: boolean;
  path: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  matcher: string;
}

export interface StoredTarget {
  id: string;
  port: number;
  availabilityZone: string | undefined;
  /** Virtual epoch ms at which draining ends; absent while registered. Never persisted. */
  drainingUntil?: number;
  /** Registered by the ECS scheduler for a task process it started (health checks allow for its start-up). */
  ecsTask?: boolean;
}

export interface StoredTargetGroup {
  arn: string;
  name: string;
  protocol: string;
  protocolVersion: string;
  port: number | undefined;
  vpcId: string;
  targetType: 'instance' | 'ip';
  ipAddressType: string;
  healthCheck: StoredHealthCheck;
  attributes: Record<string, string>;
  tags: StoredTag[];
  targets: StoredTarget[];
}

export type StoredAction =
  | {
      type: 'forward';
      order: number | undefined;
      groups: Array<{ targetGroupArn: string; weight: number }>;
      stickiness: { enabled: boolean; durationSeconds: number | undefined };
    }
  | {
      type: 'fixed-response';
      order: number | undefined;
      statusCode: string;
      contentType: string | undefined;
      messageBody: string | undefined;
    }
  | {
      type: 'redirect';
      order: number | undefined;
      statusCode: 'HTTP_301' | 'HTTP_302';
      protocol: string;
      port: string;
      host: string;
      path: string;
      query: string;
    };

export interface StoredListener {
  arn: string;
  loadBalancerArn: string;
  port: number;
  protocol: string;
  defaultActions: StoredAction[];
  /** The ARN DescribeRules shows for the listener's default rule. */
  defaultRuleArn: string;
  tags: StoredTag[];
}

/** The data plane evaluates conditions as stored: one shape for both. */
export type StoredCondition = RuleCondition;

/** A listener rule other than the default one (which lives on the listener). */
export interface StoredRule {
  arn: string;
  listenerArn: string;
  priority: number;
  conditions: StoredCondition[];
  actions: StoredAction[];
  tags: StoredTag[];
}

export interface ScopeState {
  loadBalancers: Map<string, StoredLoadBalancer>;
  targetGroups: Map<string, StoredTargetGroup>;
  listeners: Map<string, StoredListener>;
  rules: Map<string, StoredRule>;
}
