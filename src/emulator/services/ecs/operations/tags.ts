import type {
  ListTagsForResourceRequest, ListTagsForResourceResponse, Tag, TagResourceRequest, TagResourceResponse,
  UntagResourceRequest, UntagResourceResponse,
} from '@aws-sdk/client-ecs';
import { fields } from '../../../input-validation.js';
import type { Operation } from '../../../service.js';
import { errors } from '../catalogue.js';
import type { EcsScopeState } from '../model.js';
import { serviceKey } from '../store.js';
import { findTaskDefinition } from '../task-definition-lookup.js';
import { mergeTags, validTags, type EcsContext } from './context.js';

export type TagOps = {
  TagResource: Operation<TagResourceRequest, TagResourceResponse>;
  UntagResource: Operation<UntagResourceRequest, UntagResourceResponse>;
  ListTagsForResource: Operation<ListTagsForResourceRequest, ListTagsForResourceResponse>;
};

/** The record an ARN names, as a tag holder. */
function holder(state: EcsScopeState, arn: string): { tags: Tag[] } {
  const match = /^arn:aws[\w-]*:ecs:[^:]*:\d*:(cluster|service|task|task-definition)\/(.+)$/.exec(arn);
  if (!match) throw errors.invalid('The ARN provided is invalid.');
  const [, kind, rest = ''] = match;
  if (kind === 'cluster') {
    const cluster = state.clusters.get(rest);
    if (!cluster || cluster.status !== 'ACTIVE') throw errors.clusterNotFound();
    return cluster;
  }
  if (kind === 'service') {
    const [cluster = '', name = ''] = rest.includes('/') ? rest.split('/') : ['default', rest];
    const service = state.services.get(serviceKey(cluster, name));
    if (!service) throw errors.serviceNotFound();
    return service;
  }
  if (kind === 'task') {
    const task = state.tasks.get(arn);
    if (!task) throw errors.invalid('The specified task is stopped or does not exist.');
    return task;
  }
  const definition = findTaskDefinition(state, arn);
  if (!definition) throw errors.taskDefinitionNotFound();
  return definition;
}

export function tagOperations(c: EcsContext): TagOps {
  return {
    TagResource(input, ctx) {
      const target = holder(c.store.state(ctx), fields(input, 'InvalidParameterException').string('resourceArn'));
      target.tags = mergeTags(target.tags, validTags(input.tags));
      return {};
    },
    UntagResource(input, ctx) {
      const f = fields(input, 'InvalidParameterException');
      const target = holder(c.store.state(ctx), f.string('resourceArn'));
      const keys = f.optionalStringList('tagKeys') ?? [];
      target.tags = target.tags.filter((t) => !keys.includes(t.key ?? ''));
      return {};
    },
    ListTagsForResource(input, ctx) {
      const target = holder(c.store.state(ctx), fields(input, 'InvalidParameterException').string('resourceArn'));
      return { tags: target.tags };
    },
  };
}
