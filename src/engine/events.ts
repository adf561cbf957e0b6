/**
 * The one stream of what a deployment does. Logic emits; renderers (live
 * terminal view, plain lines, JSON lines) subscribe. `at` is the engine
 * clock's time as an ISO string so every event serializes as it is.
 */
export type PreflightCheck = 'cluster' | 'service' | 'task-definition' | 'container' | 'image';

export interface RevisionProgress {
  deploymentId: string;
  /** PRIMARY (the deployment ECS is moving to) or ACTIVE (an older one still running tasks). */
  status: string;
  taskDefinitionArn: string;
  rolloutState: string | undefined;
  desired: number;
  pending: number;
  running: number;
  /** Running tasks not reported unhealthy; undefined until tasks were described. */
  healthy: number | undefined;
  failed: number;
}

export interface ContainerExit {
  name: string;
  exitCode: number | undefined;
  reason: string | undefined;
}

export interface StoppedTaskRecord {
  taskArn: string;
  taskDefinitionArn: string | undefined;
  stopCode: string | undefined;
  stoppedReason: string | undefined;
  stoppedAt: string | undefined;
  containers: ContainerExit[];
}

export interface ServiceEventRecord {
  id: string;
  createdAt: string;
  message: string;
}

export type RolloutEvent = { at: string } & (
  | { type: 'preflight-passed'; check: PreflightCheck; message: string }
  | { type: 'preflight-failed'; check: PreflightCheck; message: string }
  | { type: 'revision-planned'; family: string; container: string; image: string; previousImage: string; basedOn: string }
  | { type: 'revision-registered'; taskDefinitionArn: string; container: string; image: string; previousImage: string }
  | { type: 'service-updated'; cluster: string; service: string; taskDefinitionArn: string; deploymentId: string; desiredCount: number | undefined }
  | { type: 'deployment-progress'; deploymentId: string; rolloutState: string | undefined; revisions: RevisionProgress[] }
  | ({ type: 'service-event' } & ServiceEventRecord)
  | ({ type: 'task-stopped' } & StoppedTaskRecord)
  | { type: 'deployment-completed'; deploymentId: string; taskDefinitionArn: string }
  | { type: 'deployment-failed'; deploymentId: string; reason: string }
  | { type: 'rollback-started'; deploymentId: string; rollbackDeploymentId: string; taskDefinitionArn: string | undefined; reason: string }
  | { type: 'deployment-rolled-back'; deploymentId: string; rollbackDeploymentId: string; reason: string }
  | { type: 'deployment-timed-out'; deploymentId: string; timeoutMs: number }
);

export type RolloutEventType = RolloutEvent['type'];
export type EventListener = (event: RolloutEvent) => void;

/** Distributive Omit, so each variant keeps its own fields. */
export type EventBody = RolloutEvent extends infer E ? (E extends RolloutEvent ? Omit<E, 'at'> : never) : never;
