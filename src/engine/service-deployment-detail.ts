import type { ServiceDeployment, ServiceDeploymentBrief } from '@aws-sdk/client-ecs';
import type { HookState, RevisionShare } from './events.js';
import { withTaskDefinitions } from './revision-names.js';
import { bakeOf, isOngoing, snapshotOf } from './strategies/native-observation.js';

/** What an operator can do about a hook: the tool's own verbs (`ecs-rollout promote`, `ecs-rollout abort`). */
export type OperatorAction = 'promote' | 'abort';

export interface HookDetail extends HookState {
  /** The stage the hook holds the deployment at; known only while it is running or waiting. */
  stage: string | undefined;
  /** What would resolve it now: promote (CONTINUE) or abort (roll back); empty unless AWAITING_ACTION. */
  actions: OperatorAction[];
}

/** A service deployment as `status` shows it: strategy, stage, weights per revision, hooks, bake. */
export interface ServiceDeploymentDetail {
  arn: string;
  status: string;
  strategy: string | undefined;
  stage: string | undefined;
  reason: string | undefined;
  rollbackReason: string | undefined;
  createdAt: string | undefined;
  finishedAt: string | undefined;
  /** The target revision ("green") first, then the sources; each with its task definition when known. */
  revisions: RevisionShare[];
  hooks: HookDetail[];
  /** The bake the deployment is in now, and how long ECS was told it lasts. */
  bake: { kind: 'step' | 'final'; minutes: number } | undefined;
}

/** The deployment worth showing: the newest one still going, else the newest. Briefs are newest first. */
export function deploymentToShow(briefs: readonly ServiceDeploymentBrief[]): ServiceDeploymentBrief | undefined {
  return briefs.find((b) => isOngoing(b.status)) ?? briefs[0];
}

/** Pure: one DescribeServiceDeployments answer and the task definitions of its revisions. */
export function serviceDeploymentDetail(sd: ServiceDeployment, taskDefinitions: ReadonlyMap<string, string | undefined>): ServiceDeploymentDetail {
  const snap = snapshotOf(sd);
  const window = bakeOf(snap);
  return {
    arn: sd.serviceDeploymentArn ?? '',
    status: snap.status,
    strategy: snap.strategy,
    stage: snap.stage,
    reason: sd.statusReason,
    rollbackReason: sd.rollback?.reason,
    createdAt: sd.createdAt?.toISOString(),
    finishedAt: sd.finishedAt?.toISOString(),
    revisions: withTaskDefinitions(snap.revisions, taskDefinitions),
    hooks: snap.hooks.map((h) => {
      const active = h.status === 'AWAITING_ACTION' || h.status === 'IN_PROGRESS';
      const actions: OperatorAction[] = h.status === 'AWAITING_ACTION' && snap.status === 'IN_PROGRESS' ? ['promote', 'abort'] : [];
      return { ...h, stage: active ? snap.stage : undefined, actions };
    }),
    bake: window ? { kind: window.kind, minutes: window.durationMs / 60_000 } : undefined,
  };
}
