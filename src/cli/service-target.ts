import { RolloutError } from '../spec/errors.js';
import type { ConfigFile } from '../spec/config-file.js';

/** --cluster and --service, or the config file's; the commands that act on one service share this. */
export function serviceTarget(values: { cluster?: string | undefined; service?: string | undefined }, config: ConfigFile): { cluster: string; service: string } {
  const cluster = values.cluster ?? config.cluster;
  const service = values.service ?? config.service;
  if (!cluster) throw new RolloutError('InvalidArguments', 'missing --cluster (or cluster in ecs-rollout.yaml)');
  if (!service) throw new RolloutError('InvalidArguments', 'missing --service (or service in ecs-rollout.yaml)');
  return { cluster, service };
}
