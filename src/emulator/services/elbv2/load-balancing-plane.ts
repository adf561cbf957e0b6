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

export interface LoadBalancingPlane {
  describeTargetGroup(scope: Scope, arn: string): TargetGroupView | undefined;
  registerTarget(scope: Scope, target: TargetRef): void;
  /** Starts draining for the group's deregistration delay; the target is gone once it ends. */
  deregisterTarget(scope: Scope, target: TargetRef): void;
  /** The target's health, or undefined once it is not registered (draining over). */
  targetHealth(scope: Scope, target: TargetRef): TargetHealthView | undefined;
}
