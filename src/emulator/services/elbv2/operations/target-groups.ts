import type {
  CreateTargetGroupOutput, DeleteTargetGroupOutput, DescribeTargetGroupAttributesOutput, DescribeTargetGroupsOutput,
  ModifyTargetGroupAttributesOutput, ModifyTargetGroupOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../../../request-context.js';
import { parseMatcher } from '../../../runtime/load-balancer/health-matcher.js';
import type { Operation } from '../../../service.js';
import { targetGroupArn } from '../arns.js';
import { applyTargetGroupAttributes, attributeList, defaultTargetGroupAttributes } from '../attributes.js';
import type { Elbv2Context } from '../context.js';
import {
  duplicateTargetGroupName, loadBalancerNotFound, targetGroupInUse, targetGroupNotFound, unsupportedProtocol, validation,
} from '../elb-errors.js';
import type { StoredHealthCheck, StoredTargetGroup } from '../model.js';
import { page, queryReader, type QueryReader } from '../query-input.js';
import { loadBalancerArnsOf, targetGroupView } from '../views.js';
import { checkResourceName, DEFAULT_VPC_ID } from './load-balancers.js';
import { readTags } from './tags.js';

type Scope = Pick<RequestContext, 'account' | 'region'>;

/** ALB's defaults for an HTTP target group's health checks. */
const DEFAULT_HEALTH_CHECK: StoredHealthCheck = {
  protocol: 'HTTP',
  port: 'traffic-port',
  enabled: true,
  path: '/',
  intervalSeconds: 30,
  timeoutSeconds: 5,
  healthyThreshold: 5,
  unhealthyThreshold: 2,
  matcher: '200',
};

/** Health check parameters of CreateTargetGroup/ModifyTargetGroup over `base`, with ALB's limits. */
function readHealthCheck(q: QueryReader, base: StoredHealthCheck): StoredHealthCheck {
  const protocol = q.string('HealthCheckProtocol') ?? base.protocol;
  if (protocol !== 'HTTP') throw unsupportedProtocol(protocol);
  const port = q.string('HealthCheckPort') ?? base.port;
  if (port !== 'traffic-port' && !(/^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
    throw validation(`Health check port '${port}' must be 'traffic-port' or a port between 1 and 65535`);
  }
  const path = q.string('HealthCheckPath') ?? base.path;
  if (!path.startsWith('/') || path.length > 1024) throw validation(`Health check path '${path}' must begin with '/' and be at most 1024 characters`);
  const matcherCode = q.object('Matcher')?.string('HttpCode') ?? base.matcher;
  const matcher = parseMatcher(matcherCode);
  if (!matcher.ok) throw validation(`Health check matcher HTTP code '${matcherCode}' is not valid: ${matcher.reason}`);
  const hc: StoredHealthCheck = {
    protocol,
    port,
    enabled: q.bool('HealthCheckEnabled') ?? base.enabled,
    path,
    intervalSeconds: q.int('HealthCheckIntervalSeconds', { min: 5, max: 300 }) ?? base.intervalSeconds,
    timeoutSeconds: q.int('HealthCheckTimeoutSeconds', { min: 2, max: 120 }) ?? base.timeoutSeconds,
    healthyThreshold: q.int('HealthyThresholdCount', { min: 2, max: 10 }) ?? base.healthyThreshold,
    unhealthyThreshold: q.int('UnhealthyThresholdCount', { min: 2, max: 10 }) ?? base.unhealthyThreshold,
    matcher: matcherCode,
  };
  if (hc.intervalSeconds <= hc.timeoutSeconds) throw validation('Health check interval must be greater than the timeout.');
  return hc;
}

function sameSettings(a: StoredTargetGroup, b: Omit<StoredTargetGroup, 'arn' | 'tags' | 'targets' | 'attributes'>): boolean {
  return (
    a.protocol === b.protocol &&
    a.port === b.port &&
    a.vpcId === b.vpcId &&
    a.targetType === b.targetType &&
    a.protocolVersion === b.protocolVersion &&
    JSON.stringify(a.healthCheck) === JSON.stringify(b.healthCheck)
  );
}

export function targetGroupOperations(c: Elbv2Context) {
  const find = (ctx: Scope, arn: string): StoredTargetGroup => {
    const group = c.scope(ctx).targetGroups.get(arn);
    if (!group) throw targetGroupNotFound();
    return group;
  };

  const CreateTargetGroup: Operation<unknown, CreateTargetGroupOutput> = (input, ctx) => {
    const q = queryReader(input);
    const name = q.requiredString('Name');
    checkResourceName('Target group', name);
    const targetType = q.string('TargetType') ?? 'instance';
    if (targetType !== 'instance' && targetType !== 'ip') {
      throw validation(`Target type '${targetType}' is not emulated by ecs-rollout: only 'instance' and 'ip' are; see docs/emulator-fidelity.md`);
    }
    const protocol = q.string('Protocol');
    if (protocol === undefined) throw validation('A protocol must be specified');
    if (protocol !== 'HTTP') throw unsupportedProtocol(protocol);
    const port = q.int('Port', { min: 1, max: 65535 });
    if (port === undefined) throw validation('A port must be specified');
    const protocolVersion = q.string('ProtocolVersion') ?? 'HTTP1';
    if (protocolVersion !== 'HTTP1') throw validation(`Protocol version '${protocolVersion}' is not emulated by ecs-rollout: only 'HTTP1' is`);
    const settings = {
      name,
      protocol,
      protocolVersion,
      port,
      vpcId: q.string('VpcId') ?? DEFAULT_VPC_ID,
      targetType: targetType as StoredTargetGroup['targetType'],
      ipAddressType: q.string('IpAddressType') ?? 'ipv4',
      healthCheck: readHealthCheck(q, DEFAULT_HEALTH_CHECK),
    };
    const tags = readTags(q);
    const scope = c.scope(ctx);
    const existing = [...scope.targetGroups.values()].find((g) => g.name === name);
    if (existing) {
      if (!sameSettings(existing, settings)) throw duplicateTargetGroupName(name);
      return { TargetGroups: [targetGroupView(existing, scope)] };
    }
    const group: StoredTargetGroup = {
      ...settings,
      arn: targetGroupArn(ctx, name),
      attributes: defaultTargetGroupAttributes(),
      tags,
      targets: [],
    };
    scope.targetGroups.set(group.arn, group);
    return { TargetGroups: [targetGroupView(group, scope)] };
  };

  const DescribeTargetGroups: Operation<unknown, DescribeTargetGroupsOutput> = (input, ctx) => {
    const q = queryReader(input);
    const scope = c.scope(ctx);
    let groups = [...scope.targetGroups.values()];
    const lbArn = q.string('LoadBalancerArn');
    if (lbArn !== undefined) {
      if (!scope.loadBalancers.has(lbArn)) throw loadBalancerNotFound();
      groups = groups.filter((g) => loadBalancerArnsOf(scope, g.arn).includes(lbArn));
    }
    const arns = q.stringList('TargetGroupArns');
    if (arns) groups = arns.map((arn) => find(ctx, arn));
    const names = q.stringList('Names');
    if (names) {
      groups = names.map((name) => {
        const group = [...scope.targetGroups.values()].find((g) => g.name === name);
        if (!group) throw targetGroupNotFound();
        return group;
      });
    }
    const { items, nextMarker } = page(groups, q);
    return { TargetGroups: items.map((g) => targetGroupView(g, scope)), NextMarker: nextMarker };
  };

  const ModifyTargetGroup: Operation<unknown, ModifyTargetGroupOutput> = (input, ctx) => {
    const q = queryReader(input);
    const group = find(ctx, q.requiredString('TargetGroupArn'));
    group.healthCheck = readHealthCheck(q, group.healthCheck);
    c.changed();
    return { TargetGroups: [targetGroupView(group, c.scope(ctx))] };
  };

  const DeleteTargetGroup: Operation<unknown, DeleteTargetGroupOutput> = (input, ctx) => {
    const arn = queryReader(input).requiredString('TargetGroupArn');
    const scope = c.scope(ctx);
    const group = scope.targetGroups.get(arn);
    // AWS: deleting a target group that does not exist succeeds.
    if (!group) return {};
    if (c.groupInUse(scope, arn)) throw targetGroupInUse(arn);
    c.dropGroup(group);
    scope.targetGroups.delete(arn);
    c.changed();
    return {};
  };

  const DescribeTargetGroupAttributes: Operation<unknown, DescribeTargetGroupAttributesOutput> = (input, ctx) => {
    const group = find(ctx, queryReader(input).requiredString('TargetGroupArn'));
    return { Attributes: attributeList(group.attributes) };
  };

  const ModifyTargetGroupAttributes: Operation<unknown, ModifyTargetGroupAttributesOutput> = (input, ctx) => {
    const q = queryReader(input);
    const group = find(ctx, q.requiredString('TargetGroupArn'));
    const changes = (q.objectList('Attributes') ?? []).map((a) => ({ key: a.string('Key'), value: a.string('Value') }));
    group.attributes = applyTargetGroupAttributes(group.attributes, changes);
    return { Attributes: attributeList(group.attributes) };
  };

  return {
    CreateTargetGroup, DescribeTargetGroups, ModifyTargetGroup, DeleteTargetGroup,
    DescribeTargetGroupAttributes, ModifyTargetGroupAttributes,
  };
}
