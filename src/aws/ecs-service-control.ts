import { ListTagsForResourceCommand, TagResourceCommand, UntagResourceCommand, UpdateServiceCommand, type ECSClient, type Tag } from '@aws-sdk/client-ecs';
import type { ServiceControlPort } from '../engine/ports.js';

/** Scaling and tags of ECS services over an SDK v3 ECS client. */
export class EcsServiceControl implements ServiceControlPort {
  constructor(private readonly ecs: ECSClient) {}

  async setDesiredCount(cluster: string, service: string, desiredCount: number, signal?: AbortSignal): Promise<void> {
    await this.ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount }), { abortSignal: signal });
  }

  async readTags(resourceArn: string, signal?: AbortSignal): Promise<Tag[]> {
    const out = await this.ecs.send(new ListTagsForResourceCommand({ resourceArn }), { abortSignal: signal });
    return out.tags ?? [];
  }

  async writeTags(resourceArn: string, tags: readonly Tag[], signal?: AbortSignal): Promise<void> {
    await this.ecs.send(new TagResourceCommand({ resourceArn, tags: [...tags] }), { abortSignal: signal });
  }

  async removeTags(resourceArn: string, keys: readonly string[], signal?: AbortSignal): Promise<void> {
    await this.ecs.send(new UntagResourceCommand({ resourceArn, tagKeys: [...keys] }), { abortSignal: signal });
  }
}
