import { scopeKey } from '../../request-context.js';
import type { Persistent } from '../../state-directory.js';
import type { CodeDeployScope, StoredApplication, StoredDeployment, StoredDeploymentConfig, StoredDeploymentGroup } from './model.js';

export interface Scope {
  account: string;
  region: string;
}

interface SavedScope {
  applications: StoredApplication[];
  groups: StoredDeploymentGroup[];
  configs: StoredDeploymentConfig[];
  deployments?: StoredDeployment[];
}

/** Applications, deployment groups and created deployment configurations per account and region. */
export class CodeDeployStore implements Persistent {
  readonly stateName = 'codedeploy';
  private scopes = new Map<string, CodeDeployScope>();

  scope(scope: Scope): CodeDeployScope {
    const key = scopeKey(scope);
    let state = this.scopes.get(key);
    if (!state) this.scopes.set(key, (state = { applications: new Map(), groups: new Map(), configs: new Map(), deployments: new Map() }));
    return state;
  }

  /** Every deployment still running, in every scope. */
  runningDeployments(): StoredDeployment[] {
    return [...this.scopes.values()].flatMap((s) => [...s.deployments.values()].filter((d) => d.progress !== undefined));
  }

  snapshot(): unknown {
    return Object.fromEntries(
      [...this.scopes].map(([key, s]): [string, SavedScope] => [
        key,
        {
          applications: [...s.applications.values()],
          groups: [...s.groups.values()].flatMap((groups) => [...groups.values()]),
          configs: [...s.configs.values()],
          deployments: [...s.deployments.values()],
        },
      ]),
    );
  }

  restore(data: unknown): void {
    const saved = data as Record<string, SavedScope>;
    this.scopes = new Map(
      Object.entries(saved).map(([key, s]) => {
        const groups = new Map<string, Map<string, StoredDeploymentGroup>>();
        for (const g of s.groups) {
          let byName = groups.get(g.applicationName);
          if (!byName) groups.set(g.applicationName, (byName = new Map()));
          byName.set(g.deploymentGroupName, g);
        }
        return [
          key,
          {
            applications: new Map(s.applications.map((a) => [a.info.applicationName, a])),
            groups,
            configs: new Map(s.configs.map((c) => [c.deploymentConfigName, c])),
            deployments: new Map((s.deployments ?? []).map((d) => [d.info.deploymentId, d])),
          },
        ];
      }),
    );
  }
}
