import { scopeKey } from '../../request-context.js';
import type { Persistent } from '../../state-directory.js';
import { NO_ALARMS } from './deployment-alarms.js';
import { initialLifecycle } from './lifecycle-events.js';
import type { CodeDeployScope, DeploymentPlan, StoredApplication, StoredDeployment, StoredDeploymentConfig, StoredDeploymentGroup } from './model.js';

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
            deployments: new Map((s.deployments ?? []).map((d) => [d.info.deploymentId, upgraded(d)])),
          },
        ];
      }),
    );
  }
}

/**
 * A deployment saved before the emulator kept ready waits, alarms, lifecycle
 * events and deployment targets reads with what those members meant for it:
 * no ready wait, no alarms, lifecycle events recorded from here on. Its old
 * "AllowTraffic, no shift yet" (test traffic routed) is now TestTraffic; the
 * AfterAllowTestTraffic and BeforeAllowTraffic hooks it has run are in its
 * hooks' done list, so none runs twice.
 */
function upgraded(d: StoredDeployment): StoredDeployment {
  const saved: Partial<StoredDeployment> = d;
  const savedPlan: Partial<DeploymentPlan> = d.plan;
  const plan: DeploymentPlan = {
    ...d.plan,
    serviceArn: savedPlan.serviceArn ?? `arn:aws:ecs:${d.plan.region}:${d.plan.account}:service/${d.plan.cluster}/${d.plan.service}`,
    readyWaitMs: savedPlan.readyWaitMs,
    rollbackOnAlarm: savedPlan.rollbackOnAlarm ?? false,
    alarms: savedPlan.alarms ?? NO_ALARMS,
  };
  const progress = d.progress?.phase === 'AllowTraffic' && d.progress.stepsDone === 0 && saved.lifecycle === undefined ? { phase: 'TestTraffic' as const } : d.progress;
  const stepsDone = d.progress?.phase === 'AllowTraffic' ? d.progress.stepsDone : 0;
  // JSON drops members that are undefined; they come back as such.
  return {
    ...d,
    plan,
    progress,
    replacementTaskSetId: d.replacementTaskSetId,
    hooks: { ...d.hooks, running: d.hooks.running },
    lifecycle: saved.lifecycle ?? initialLifecycle(plan.testListeners.length > 0),
    production: saved.production
      ?? (d.progress?.phase === 'TerminationWait' || d.info.status === 'Succeeded' ? 100 : stepsDone > 0 ? (plan.steps[stepsDone - 1]?.percent ?? 0) : 0),
    targetUpdatedAt: saved.targetUpdatedAt ?? (d.info.completeTime ?? d.info.startTime ?? d.info.createTime).getTime(),
    taskSetsAtEnd: saved.taskSetsAtEnd ?? (d.progress === undefined ? [] : undefined),
  };
}
