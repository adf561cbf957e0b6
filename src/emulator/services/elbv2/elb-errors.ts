import { AwsError } from '../../errors.js';

/** ELBv2's errors with AWS's codes and wording, in one place. */

export const loadBalancerNotFound = (): AwsError => new AwsError('LoadBalancerNotFound', 'One or more load balancers not found');
export const targetGroupNotFound = (): AwsError => new AwsError('TargetGroupNotFound', 'One or more target groups not found');
export const listenerNotFound = (): AwsError => new AwsError('ListenerNotFound', 'One or more listeners not found');

export const duplicateLoadBalancerName = (name: string): AwsError =>
  new AwsError('DuplicateLoadBalancerName', `A load balancer with the same name '${name}' exists, but with different settings`);
export const duplicateTargetGroupName = (name: string): AwsError =>
  new AwsError('DuplicateTargetGroupName', `A target group with the same name '${name}' exists, but with different settings`);
export const duplicateListener = (lbArn: string): AwsError =>
  new AwsError('DuplicateListener', `A listener already exists on this port for this load balancer '${lbArn}'`);

export const targetGroupInUse = (arn: string): AwsError =>
  new AwsError('ResourceInUse', `Target group '${arn}' is currently in use by a listener or a rule`);
export const targetGroupAssociationLimit = (arns: string[]): AwsError =>
  new AwsError(
    'TargetGroupAssociationLimit',
    `The following target groups cannot be associated with more than one load balancer: ${arns.map((a) => `'${a}'`).join(', ')}`,
  );
export const deletionProtected = (arn: string): AwsError =>
  new AwsError('OperationNotPermitted', `Load balancer '${arn}' cannot be deleted because deletion protection is enabled`);

export const tooManyTargets = (limit: number): AwsError =>
  new AwsError('TooManyTargets', `You have reached the limit on the number of targets per target group (${limit})`);
export const tooManyTags = (arn: string): AwsError =>
  new AwsError('TooManyTags', `The following resource has too many tags: '${arn}'`);
export const invalidTarget = (message: string): AwsError => new AwsError('InvalidTarget', message);

export const validation = (message: string): AwsError => new AwsError('ValidationError', message);
export const invalidConfiguration = (message: string): AwsError => new AwsError('InvalidConfigurationRequest', message);
export const unsupportedProtocol = (protocol: string): AwsError =>
  new AwsError(
    'UnsupportedProtocol',
    `Protocol '${protocol}' is not emulated by ecs-rollout: listeners and target groups serve HTTP only; see docs/emulator-fidelity.md`,
  );

export const ruleNotFound = (): AwsError => new AwsError('RuleNotFound', 'One or more rules not found');
export const priorityInUse = (priority: number): AwsError => new AwsError('PriorityInUse', `Priority '${priority}' is currently in use`);
export const tooManyRules = (lbArn: string): AwsError =>
  new AwsError('TooManyRules', `The maximum number of rules on load balancer '${lbArn}' has been reached`);
export const defaultRuleNotDeletable = (arn: string): AwsError => new AwsError('OperationNotPermitted', `Default rule '${arn}' cannot be deleted`);
export const defaultRuleNotModifiable = (arn: string): AwsError => new AwsError('OperationNotPermitted', `Default rule '${arn}' cannot be modified`);
