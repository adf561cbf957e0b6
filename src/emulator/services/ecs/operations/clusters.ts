import type {
  CreateClusterRequest, CreateClusterResponse, DeleteClusterRequest, DeleteClusterResponse, DescribeClustersRequest,
  DescribeClustersResponse, Failure, ListClustersRequest, ListClustersResponse,
} from '@aws-sdk/client-ecs';
import { AwsError } from '../../../errors.js';
import { fields } from '../../../input-validation.js';
import type { Operation } from '../../../service.js';
import { clusterArn, clusterNameOf } from '../arns.js';
import { errors } from '../catalogue.js';
import { page } from '../paging.js';
import { clusterView } from '../views.js';
import { activeCluster, includesTags, mergeTags, scopeOf, validTags, type EcsContext } from './context.js';

const CLUSTER_NAME = /^[a-zA-Z0-9_-]{1,255}$/;

export type ClusterOps = {
  CreateCluster: Operation<CreateClusterRequest, CreateClusterResponse>;
  DescribeClusters: Operation<DescribeClustersRequest, DescribeClustersResponse>;
  ListClusters: Operation<ListClustersRequest, ListClustersResponse>;
  DeleteCluster: Operation<DeleteClusterRequest, DeleteClusterResponse>;
};

export function clusterOperations(c: EcsContext): ClusterOps {
  return {
    CreateCluster(input, ctx) {
      const name = fields(input, 'InvalidParameterException').optionalString('clusterName') ?? 'default';
      if (!CLUSTER_NAME.test(name)) {
        throw errors.invalid('Cluster name must be 1-255 characters long and may contain only letters, numbers, hyphens and underscores.');
      }
      const state = c.store.state(ctx);
      const tags = validTags(input.tags);
      let cluster = state.clusters.get(name);
      if (cluster?.status === 'ACTIVE') {
        // ECS answers a repeated CreateCluster with the existing cluster.
        cluster.tags = mergeTags(cluster.tags, tags);
      } else {
        cluster = { clusterArn: clusterArn(scopeOf(ctx), name), clusterName: name, status: 'ACTIVE', tags };
        state.clusters.set(name, cluster);
      }
      return { cluster: clusterView(state, cluster, true) };
    },

    DescribeClusters(input, ctx) {
      const refs = fields(input, 'InvalidParameterException').optionalStringList('clusters') ?? ['default'];
      const state = c.store.state(ctx);
      const failures: Failure[] = [];
      const clusters = refs.flatMap((ref) => {
        const cluster = state.clusters.get(clusterNameOf(ref));
        if (!cluster) {
          failures.push({ arn: ref.startsWith('arn:') ? ref : clusterArn(scopeOf(ctx), ref), reason: 'MISSING' });
          return [];
        }
        return [clusterView(state, cluster, includesTags(input.include))];
      });
      return { clusters, failures };
    },

    ListClusters(input, ctx) {
      const arns = [...c.store.state(ctx).clusters.values()].filter((x) => x.status === 'ACTIVE').map((x) => x.clusterArn);
      const p = page(arns, input.maxResults, input.nextToken, 100);
      return { clusterArns: p.items, nextToken: p.nextToken };
    },

    DeleteCluster(input, ctx) {
      const ref = fields(input, 'InvalidParameterException').string('cluster');
      const state = c.store.state(ctx);
      const cluster = activeCluster(state, ref);
      if ([...state.services.values()].some((s) => s.clusterName === cluster.clusterName && s.status !== 'INACTIVE')) {
        throw new AwsError('ClusterContainsServicesException', 'The Cluster cannot be deleted while Services are active.');
      }
      if ([...state.tasks.values()].some((t) => t.clusterName === cluster.clusterName && t.lastStatus !== 'STOPPED')) {
        throw new AwsError('ClusterContainsTasksException', 'The Cluster cannot be deleted while Tasks are active.');
      }
      cluster.status = 'INACTIVE';
      return { cluster: clusterView(state, cluster, false) };
    },
  };
}
