import type { AddTagsOutput, DescribeTagsOutput, RemoveTagsOutput } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AwsError } from '../../../errors.js';
import type { Operation } from '../../../service.js';
import { arnKind } from '../arns.js';
import type { Elbv2Context } from '../context.js';
import { listenerNotFound, loadBalancerNotFound, ruleNotFound, targetGroupNotFound, tooManyTags, validation } from '../elb-errors.js';
import type { ScopeState, StoredTag } from '../model.js';
import { queryReader, type QueryReader } from '../query-input.js';

const MAX_TAGS = 50;

/** The Tags parameter of a Create call. */
export function readTags(q: QueryReader): StoredTag[] {
  const tags = (q.objectList('Tags') ?? []).map((t) => ({ Key: t.requiredString('Key'), Value: t.string('Value') ?? '' }));
  const keys = new Set(tags.map((t) => t.Key));
  if (keys.size !== tags.length) throw validation('Duplicate tag keys were specified');
  if (tags.length > MAX_TAGS) throw validation(`A resource can have at most ${MAX_TAGS} tags`);
  return tags;
}

function tagged(scope: ScopeState, arn: string): { tags: StoredTag[]; set(tags: StoredTag[]): void } {
  const kind = arnKind(arn);
  const notFound: Record<string, () => AwsError> = {
    loadbalancer: loadBalancerNotFound,
    targetgroup: targetGroupNotFound,
    listener: listenerNotFound,
    'listener-rule': ruleNotFound,
  };
  const resource =
    kind === 'loadbalancer' ? scope.loadBalancers.get(arn)
    : kind === 'targetgroup' ? scope.targetGroups.get(arn)
    : kind === 'listener' ? scope.listeners.get(arn)
    : kind === 'listener-rule' ? scope.rules.get(arn)
    : undefined;
  if (!resource) throw (notFound[kind] ?? (() => validation(`'${arn}' is not a valid load balancer, target group, listener or rule ARN`)))();
  return { tags: resource.tags, set: (tags) => (resource.tags = tags) };
}

export function tagOperations(c: Elbv2Context) {
  const AddTags: Operation<unknown, AddTagsOutput> = (input, ctx) => {
    const q = queryReader(input);
    const arns = q.stringList('ResourceArns') ?? [];
    const tags = readTags(q);
    if (arns.length === 0) throw validation("1 validation error detected: Value null at 'resourceArns' failed to satisfy constraint: Member must not be null");
    const scope = c.scope(ctx);
    const targets = arns.map((arn) => ({ arn, resource: tagged(scope, arn) }));
    for (const { arn, resource } of targets) {
      const merged = [...resource.tags.filter((t) => !tags.some((n) => n.Key === t.Key)), ...tags];
      if (merged.length > MAX_TAGS) throw tooManyTags(arn);
    }
    for (const { resource } of targets) resource.set([...resource.tags.filter((t) => !tags.some((n) => n.Key === t.Key)), ...tags]);
    return {};
  };

  const RemoveTags: Operation<unknown, RemoveTagsOutput> = (input, ctx) => {
    const q = queryReader(input);
    const keys = q.stringList('TagKeys') ?? [];
    const scope = c.scope(ctx);
    for (const arn of q.stringList('ResourceArns') ?? []) {
      const resource = tagged(scope, arn);
      resource.set(resource.tags.filter((t) => !keys.includes(t.Key)));
    }
    return {};
  };

  const DescribeTags: Operation<unknown, DescribeTagsOutput> = (input, ctx) => {
    const arns = queryReader(input).stringList('ResourceArns') ?? [];
    if (arns.length > 20) throw validation("1 validation error detected: Value at 'resourceArns' failed to satisfy constraint: Member must have length less than or equal to 20");
    const scope = c.scope(ctx);
    return { TagDescriptions: arns.map((arn) => ({ ResourceArn: arn, Tags: tagged(scope, arn).tags })) };
  };

  return { AddTags, RemoveTags, DescribeTags };
}
