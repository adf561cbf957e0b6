import { scopeKey } from '../../request-context.js';
import type { Persistent } from '../../state-directory.js';
import type { EcsScopeState, StoredCluster, StoredService, StoredServiceDeployment, StoredServiceRevision, StoredTask, StoredTaskDefinition } from './model.js';

export type Scope = { account: string; region: string };

interface ScopeSnapshot {
  account: string;
  region: string;
  clusters: StoredCluster[];
  taskDefinitions: Array<[string, StoredTaskDefinition[]]>;
  services: StoredService[];
  tasks: StoredTask[];
  serviceDeployments: StoredServiceDeployment[];
  serviceRevisions: StoredServiceRevision[];
}

export const serviceKey = (clusterName: string, serviceName: string): string => `${clusterName}/${serviceName}`;

/** ECS state per account and region; the scheduler and the API share it. */
export class EcsStore implements Persistent {
  readonly stateName = 'ecs';
  private scopes = new Map<string, { scope: Scope; state: EcsScopeState }>();

  state(scope: Scope): EcsScopeState {
    const key = scopeKey(scope);
    let entry = this.scopes.get(key);
    if (!entry) {
      entry = { scope: { account: scope.account, region: scope.region }, state: emptyState() };
      this.scopes.set(key, entry);
    }
    return entry.state;
  }

  all(): Array<{ scope: Scope; state: EcsScopeState }> {
    return [...this.scopes.values()];
  }

  snapshot(): unknown {
    return this.all().map(({ scope, state }): ScopeSnapshot => ({
      account: scope.account,
      region: scope.region,
      clusters: [...state.clusters.values()],
      taskDefinitions: [...state.taskDefinitions],
      services: [...state.services.values()],
      tasks: [...state.tasks.values()],
      serviceDeployments: [...state.serviceDeployments.values()],
      serviceRevisions: [...state.serviceRevisions.values()],
    }));
  }

  restore(data: unknown): void {
    const saved = Array.isArray(data) ? (data as ScopeSnapshot[]) : [];
    this.scopes = new Map(
      saved.map((s) => {
        const scope = { account: s.account, region: s.region };
        const state: EcsScopeState = {
          clusters: new Map(s.clusters.map((c) => [c.clusterName, c])),
          taskDefinitions: new Map(s.taskDefinitions),
          services: new Map(s.services.map((svc) => [serviceKey(svc.clusterName, svc.serviceName), svc])),
          tasks: new Map(s.tasks.map((t) => [t.taskArn, t])),
          serviceDeployments: new Map(s.serviceDeployments.map((d) => [d.serviceDeploymentArn, d])),
          serviceRevisions: new Map(s.serviceRevisions.map((r) => [r.serviceRevisionArn, r])),
        };
        return [scopeKey(scope), { scope, state }];
      }),
    );
  }
}

function emptyState(): EcsScopeState {
  return {
    clusters: new Map(),
    taskDefinitions: new Map(),
    services: new Map(),
    tasks: new Map(),
    serviceDeployments: new Map(),
    serviceRevisions: new Map(),
  };
}
