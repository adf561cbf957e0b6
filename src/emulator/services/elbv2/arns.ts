import { randomBytes } from 'node:crypto';
import type { RequestContext } from '../../request-context.js';

/** ELBv2 ARNs as AWS forms them: a 16-hex-digit id after the name. */

type Where = Pick<RequestContext, 'account' | 'region'>;

const prefix = (ctx: Where): string => `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.account}`;
const id = (): string => randomBytes(8).toString('hex');

export function loadBalancerArn(ctx: Where, name: string): string {
  return `${prefix(ctx)}:loadbalancer/app/${name}/${id()}`;
}

export function targetGroupArn(ctx: Where, name: string): string {
  return `${prefix(ctx)}:targetgroup/${name}/${id()}`;
}

/** listener/app/NAME/LBID/ID: the load balancer's resource path plus the listener's id. */
export function listenerArn(lbArn: string): string {
  const resource = lbArn.replace(':loadbalancer/', ':listener/');
  return `${resource}/${id()}`;
}

/** listener-rule/app/NAME/LBID/LISTENERID/ID: the listener's resource path plus the rule's id. */
export function ruleArn(listenerArn: string): string {
  return `${listenerArn.replace(':listener/', ':listener-rule/')}/${id()}`;
}

export type ArnKind = 'loadbalancer' | 'targetgroup' | 'listener' | 'listener-rule' | 'unknown';

export function arnKind(arn: string): ArnKind {
  const resource = /^arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:([a-z-]+)\//.exec(arn)?.[1];
  return resource === 'loadbalancer' || resource === 'targetgroup' || resource === 'listener' || resource === 'listener-rule'
    ? resource
    : 'unknown';
}
