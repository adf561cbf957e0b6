import type {
  CreateLoadBalancerOutput, DeleteLoadBalancerOutput, DescribeLoadBalancerAttributesOutput, DescribeLoadBalancersOutput,
  ModifyLoadBalancerAttributesOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Operation } from '../../../service.js';
import { loadBalancerArn } from '../arns.js';
import { applyLoadBalancerAttributes, attributeList, defaultLoadBalancerAttributes } from '../attributes.js';
import type { Elbv2Context } from '../context.js';
import { deletionProtected, duplicateLoadBalancerName, loadBalancerNotFound, validation } from '../elb-errors.js';
import type { StoredLoadBalancer } from '../model.js';
import { page, queryReader } from '../query-input.js';
import { loadBalancerView } from '../views.js';
import { readTags } from './tags.js';

/** The VPC every emulated load balancer and target group is in unless told otherwise. */
export const DEFAULT_VPC_ID = 'vpc-00000000000000000';

export function checkResourceName(kind: 'Load balancer' | 'Target group', name: string): void {
  if (name.length > 32) throw validation(`${kind} name '${name}' cannot be longer than '32' characters`);
  if (!/^[A-Za-z0-9-]+$/.test(name)) {
    throw validation(`${kind} name '${name}' can only contain characters that are alphanumeric characters or hyphens(-)`);
  }
  if (name.startsWith('-') || name.endsWith('-')) throw validation(`${kind} name '${name}' cannot begin or end with '-'`);
}

export function loadBalancerOperations(c: Elbv2Context) {
  const find = (ctx: Parameters<Elbv2Context['scope']>[0], arn: string): StoredLoadBalancer => {
    const lb = c.scope(ctx).loadBalancers.get(arn);
    if (!lb) throw loadBalancerNotFound();
    return lb;
  };

  const CreateLoadBalancer: Operation<unknown, CreateLoadBalancerOutput> = (input, ctx) => {
    const q = queryReader(input);
    const name = q.requiredString('Name');
    checkResourceName('Load balancer', name);
    if (name.startsWith('internal-')) throw validation(`Load balancer name '${name}' cannot begin with 'internal-'`);
    const type = q.string('Type') ?? 'application';
    if (type !== 'application') {
      throw validation(`Load balancer type '${type}' is not emulated by ecs-rollout: only 'application' is; see docs/emulator-fidelity.md`);
    }
    const scheme = q.string('Scheme') ?? 'internet-facing';
    if (scheme !== 'internet-facing' && scheme !== 'internal') throw validation(`Scheme '${scheme}' must be 'internet-facing' or 'internal'`);
    const ipAddressType = q.string('IpAddressType') ?? 'ipv4';
    const subnets = q.stringList('Subnets') ?? (q.objectList('SubnetMappings') ?? []).map((m) => m.requiredString('SubnetId'));
    const securityGroups = q.stringList('SecurityGroups') ?? [];
    const tags = readTags(q);
    const scope = c.scope(ctx);
    const existing = [...scope.loadBalancers.values()].find((lb) => lb.name === name);
    if (existing) {
      // AWS: creating a load balancer again with the same settings returns the existing one.
      const same =
        existing.scheme === scheme &&
        existing.ipAddressType === ipAddressType &&
        (subnets.length === 0 || sameSet(existing.subnets, subnets)) &&
        (securityGroups.length === 0 || sameSet(existing.securityGroups, securityGroups));
      if (!same) throw duplicateLoadBalancerName(name);
      return { LoadBalancers: [loadBalancerView(existing)] };
    }
    const lb: StoredLoadBalancer = {
      arn: loadBalancerArn(ctx, name),
      name,
      dnsName: c.host,
      createdTime: new Date(c.clock.now()),
      scheme,
      ipAddressType,
      subnets,
      securityGroups,
      vpcId: DEFAULT_VPC_ID,
      attributes: defaultLoadBalancerAttributes(),
      tags,
    };
    scope.loadBalancers.set(lb.arn, lb);
    return { LoadBalancers: [loadBalancerView(lb)] };
  };

  const DescribeLoadBalancers: Operation<unknown, DescribeLoadBalancersOutput> = (input, ctx) => {
    const q = queryReader(input);
    const scope = c.scope(ctx);
    const arns = q.stringList('LoadBalancerArns');
    const names = q.stringList('Names');
    if (arns && names) throw validation('Load balancer names and load balancer ARNs cannot be specified at the same time');
    let lbs = [...scope.loadBalancers.values()];
    if (arns) lbs = arns.map((arn) => find(ctx, arn));
    if (names) {
      lbs = names.map((name) => {
        const lb = [...scope.loadBalancers.values()].find((l) => l.name === name);
        if (!lb) throw loadBalancerNotFound();
        return lb;
      });
    }
    const { items, nextMarker } = page(lbs, q);
    return { LoadBalancers: items.map(loadBalancerView), NextMarker: nextMarker };
  };

  const DeleteLoadBalancer: Operation<unknown, DeleteLoadBalancerOutput> = async (input, ctx) => {
    const arn = queryReader(input).requiredString('LoadBalancerArn');
    const scope = c.scope(ctx);
    const lb = scope.loadBalancers.get(arn);
    // AWS: deleting a load balancer that does not exist (any more) succeeds.
    if (!lb) return {};
    if (lb.attributes['deletion_protection.enabled'] === 'true') throw deletionProtected(arn);
    const listeners = [...scope.listeners.values()].filter((l) => l.loadBalancerArn === arn);
    for (const listener of listeners) c.dropListener(scope, listener.arn);
    scope.loadBalancers.delete(arn);
    await Promise.all(listeners.map((l) => c.dataPlane.closeListener(l.arn)));
    c.changed();
    return {};
  };

  const DescribeLoadBalancerAttributes: Operation<unknown, DescribeLoadBalancerAttributesOutput> = (input, ctx) => {
    const lb = find(ctx, queryReader(input).requiredString('LoadBalancerArn'));
    return { Attributes: attributeList(lb.attributes) };
  };

  const ModifyLoadBalancerAttributes: Operation<unknown, ModifyLoadBalancerAttributesOutput> = (input, ctx) => {
    const q = queryReader(input);
    const lb = find(ctx, q.requiredString('LoadBalancerArn'));
    const changes = (q.objectList('Attributes') ?? []).map((a) => ({ key: a.string('Key'), value: a.string('Value') }));
    lb.attributes = applyLoadBalancerAttributes(lb.attributes, changes);
    return { Attributes: attributeList(lb.attributes) };
  };

  return { CreateLoadBalancer, DescribeLoadBalancers, DeleteLoadBalancer, DescribeLoadBalancerAttributes, ModifyLoadBalancerAttributes };
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
