import { isIP } from 'node:net';
import type {
  DeregisterTargetsOutput, DescribeTargetHealthOutput, RegisterTargetsOutput, TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Operation } from '../../../service.js';
import type { Elbv2Context } from '../context.js';
import { invalidTarget, targetGroupNotFound, tooManyTargets, validation } from '../elb-errors.js';
import type { StoredTargetGroup } from '../model.js';
import { queryReader, type QueryReader } from '../query-input.js';

const MAX_TARGETS_PER_GROUP = 1000;

function readTargets(q: QueryReader, group: StoredTargetGroup) {
  const list = q.objectList('Targets');
  if (!list || list.length === 0) throw validation("1 validation error detected: Value null at 'targets' failed to satisfy constraint: Member must not be null");
  return list.map((t) => {
    const id = t.requiredString('Id');
    const port = t.int('Port', { min: 1, max: 65535 }) ?? group.port;
    if (port === undefined) throw validation(`A port must be specified for target '${id}'`);
    return { id, port, availabilityZone: t.string('AvailabilityZone') };
  });
}

export function targetOperations(c: Elbv2Context) {
  const findGroup = (ctx: Parameters<Elbv2Context['scope']>[0], arn: string): StoredTargetGroup => {
    const group = c.scope(ctx).targetGroups.get(arn);
    if (!group) throw targetGroupNotFound();
    return group;
  };

  const RegisterTargets: Operation<unknown, RegisterTargetsOutput> = (input, ctx) => {
    const q = queryReader(input);
    const group = findGroup(ctx, q.requiredString('TargetGroupArn'));
    const targets = readTargets(q, group);
    if (group.targetType === 'ip') {
      const bad = targets.find((t) => isIP(t.id) === 0);
      if (bad) throw invalidTarget(`The IP address '${bad.id}' is not a valid IPv4 address`);
    }
    const fresh = targets.filter((t) => !group.targets.some((r) => r.id === t.id && r.port === t.port));
    if (group.targets.length + fresh.length > MAX_TARGETS_PER_GROUP) throw tooManyTargets(MAX_TARGETS_PER_GROUP);
    c.register(group, targets);
    return {};
  };

  const DeregisterTargets: Operation<unknown, DeregisterTargetsOutput> = (input, ctx) => {
    const q = queryReader(input);
    const group = findGroup(ctx, q.requiredString('TargetGroupArn'));
    // AWS: deregistering a target that is not registered succeeds.
    c.deregister(group, readTargets(q, group));
    return {};
  };

  const DescribeTargetHealth: Operation<unknown, DescribeTargetHealthOutput> = (input, ctx) => {
    const q = queryReader(input);
    const scope = c.scope(ctx);
    const group = findGroup(ctx, q.requiredString('TargetGroupArn'));
    const asked = q.has('Targets') ? readTargets(q, group) : undefined;
    const rows = asked
      ? asked.map((t) => ({ ref: t, stored: group.targets.find((r) => r.id === t.id && r.port === t.port) }))
      : group.targets.map((r) => ({ ref: r, stored: r }));
    const descriptions: TargetHealthDescription[] = rows.map(({ ref, stored }) => {
      const view = c.health(scope, group, stored);
      return {
        Target: { Id: ref.id, Port: ref.port, AvailabilityZone: stored?.availabilityZone },
        HealthCheckPort: group.healthCheck.port === 'traffic-port' ? String(ref.port) : group.healthCheck.port,
        TargetHealth: {
          State: view.state,
          Reason: view.reason as NonNullable<TargetHealthDescription['TargetHealth']>['Reason'],
          Description: view.description,
        },
      };
    });
    return { TargetHealthDescriptions: descriptions };
  };

  return { RegisterTargets, DeregisterTargets, DescribeTargetHealth };
}
