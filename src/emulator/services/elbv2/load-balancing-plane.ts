/**
 * What ECS asks of the load balancer, in ECS's own terms: register a task's
 * target, read its health, deregister it and know when draining is over.
 * ELBv2 implements it on the same store its API serves.
 */

export type Scope = { account: string; region: string };

export interface TargetRef {
  targetGroupArn: string;
  /** The target's id: 127.0.0.1 for every local task. */
  id: string;
  port: number;
}

/** TargetHealthStateEnum from @aws-sdk/client-elastic-load-balancing-v2. */
export type TargetHealthStateName = 'initial' | 'healthy' | 'unhealthy' | 'unused' | 'draining' | 'unavailable';

export interface TargetHealthView {
  state: TargetHealthStateName;
  /** TargetHealthReasonEnum, e.g. Elb.InitialHealthChecking, Target.ResponseCodeMismatch. */
  reason?: string;
  description?: string;
}

export interface TargetGroupView {
  arn: string;
  name: string;
  port: number | undefined;
  loadBalancerArns: string[];
}

/** One target group of a forward action and its weight (0-999). */
export interface ForwardWeight {
  targetGroupArn: string;
  weight: number;
}

export interface LoadBalancingPlane {
  describeTargetGroup(scope: Scope, arn: string): TargetGroupView | undefined;
  /** Target group names are unique per account and region; CodeDeploy deployment groups name them. */
  targetGroupArnByName(scope: Scope, name: string): string | undefined;
  registerTarget(scope: Scope, target: TargetRef): void;
  /** Starts draining for the group's deregistration delay; the target is gone once it ends. */
  deregisterTarget(scope: Scope, target: TargetRef): void;
  /** The target's health, or undefined once it is not registered (draining over). */
  targetHealth(scope: Scope, target: TargetRef): TargetHealthView | undefined;
  /**
   * The forward weights of a listener rule, or of a listener's default action
   * when given a listener (or default rule) ARN, as ECS's blue/green
   * productionListenerRule and testListenerRule may be either. Undefined when
   * it does not exist or its action does not forward.
   */
  forwardWeights(scope: Scope, ruleOrListenerArn: string): ForwardWeight[] | undefined;
  /** ECS shifting traffic: replaces the forward action's groups and weights. False when there is no such forward. */
  setForwardWeights(scope: Scope, ruleOrListenerArn: string, weights: ForwardWeight[]): boolean;
}
