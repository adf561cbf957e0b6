import type { AnalysisPhase, FailureAction } from '../analysis/contract.js';
import type { MeasuredValue } from '../analysis/condition-evaluate.js';
import type { AlbCanaryEvent } from './alb-canary/events.js';
import type { CodeDeployEvent } from './codedeploy/events.js';

/**
 * The one stream of what a deployment does. Logic emits; renderers (live
 * terminal view, plain lines, JSON lines) subscribe. `at` is the engine
 * clock's time as an ISO string so every event serializes as it is.
 */
export type PreflightCheck = 'cluster' | 'service' | 'task-definition' | 'container' | 'image' | 'strategy' | 'deployment-group' | 'alarms' | 'lock' | 'role' | 'secret' | 'log-group' | 'target-group';

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

/** One revision in a native (blue/green, canary, linear) service deployment. */
export interface RevisionShare {
  /** Service revision ARN. */
  arn: string;
  /** The task definition the revision runs (DescribeServiceRevisions); absent when it could not be looked up. */
  taskDefinitionArn?: string | undefined;
  role: 'target' | 'source';
  requested: number;
  running: number;
  pending: number;
  /** Percent of production / test traffic ECS asked for; undefined when ECS does not report it. */
  productionWeight: number | undefined;
  testWeight: number | undefined;
}

export interface HookState {
  hookId: string;
  targetType: string | undefined;
  status: string | undefined;
  expiresAt: string | undefined;
  timeoutAction: string | undefined;
}

export type GateKind = 'http' | 'command' | 'analysis';

export type RolloutEvent = { at: string } & (
  | { type: 'preflight-passed'; check: PreflightCheck; message: string }
  | { type: 'preflight-failed'; check: PreflightCheck; message: string }
  | { type: 'revision-planned'; family: string; container: string; image: string; previousImage: string; basedOn: string }
  | { type: 'revision-registered'; taskDefinitionArn: string; container: string; image: string; previousImage: string }
  // ecs-rollout rollback: the revision it goes back to and why; or the in-progress deployment it stopped.
  | { type: 'rollback-target'; taskDefinitionArn: string; from: string; why: string }
  | { type: 'rollback-requested'; serviceDeploymentArn: string; status: string; stage: string | undefined; message: string }
  // deploy --resume picked up the service's deployment in progress.
  | { type: 'deployment-resumed'; serviceDeploymentArn: string; taskDefinitionArn: string; status: string; stage: string | undefined; startedBy: string | undefined }
  // What a cancel (SIGINT, SIGTERM) will do, said when the deploy starts.
  | { type: 'on-cancel'; action: 'rollback' | 'detach' }
  // --force took the service's deploy lock from another deploy (or one whose lock had expired).
  | { type: 'lock-taken-over'; holder: string; since: string; deploymentId: string; expired: boolean }
  // A rollback deploys a revision that exists already: nothing is registered.
  | { type: 'revision-reused'; taskDefinitionArn: string; container: string; image: string; previousImage: string }
  | { type: 'service-updated'; cluster: string; service: string; taskDefinitionArn: string; deploymentId: string; desiredCount: number | undefined }
  | { type: 'deployment-progress'; deploymentId: string; rolloutState: string | undefined; revisions: RevisionProgress[] }
  | ({ type: 'service-event' } & ServiceEventRecord)
  | ({ type: 'task-stopped' } & StoppedTaskRecord)
  | { type: 'deployment-completed'; deploymentId: string; taskDefinitionArn: string }
  | { type: 'deployment-failed'; deploymentId: string; reason: string }
  | { type: 'rollback-started'; deploymentId: string; rollbackDeploymentId: string; taskDefinitionArn: string | undefined; reason: string }
  | { type: 'deployment-rolled-back'; deploymentId: string; rollbackDeploymentId: string; reason: string }
  | { type: 'deployment-timed-out'; deploymentId: string; timeoutMs: number }
  // Native strategies (blue/green, canary, linear): what ECS's service deployment shows, stage by stage.
  | { type: 'strategy-planned'; strategy: string; settings: string[]; notes: string[] }
  | { type: 'stage-changed'; serviceDeploymentArn: string; stage: string; previousStage: string | undefined; status: string }
  | { type: 'service-deployment-progress'; serviceDeploymentArn: string; status: string; stage: string | undefined; revisions: RevisionShare[] }
  | ({ type: 'hook-state'; serviceDeploymentArn: string; stage: string | undefined; gated: boolean } & HookState)
  // promotable: the bake is the tool's PAUSE hook (strategy.promotableBake), which ecs-rollout promote ends now.
  | { type: 'bake-progress'; serviceDeploymentArn: string; kind: 'step' | 'final'; remainingMs: number; endsAt: string; promotable?: boolean }
  | { type: 'gate-started'; gate: string; stage: string; kind: GateKind; attempts: number }
  | { type: 'gate-output'; gate: string; attempt: number; line: string }
  | { type: 'gate-attempt-failed'; gate: string; attempt: number; reason: string; retryInMs: number | undefined }
  | { type: 'gate-passed'; gate: string; attempt: number }
  | { type: 'gate-failed'; gate: string; reason: string }
  | { type: 'hook-continued'; serviceDeploymentArn: string; hookId: string; action: 'CONTINUE' | 'ROLLBACK'; stage: string | undefined }
  | { type: 'service-deployment-rolling-back'; serviceDeploymentArn: string; reason: string }
  | { type: 'deployment-aborted'; deploymentId: string; serviceDeploymentArn?: string | undefined; reason: string }
  // Metric analysis (src/analysis): each measurement as it is taken, the verdict, and what the driver made of it.
  | { type: 'analysis-started'; analysis: string; metrics: string[]; purpose: string }
  | ({ type: 'analysis-measurement' } & AnalysisMeasurement)
  | { type: 'analysis-finished'; analysis: string; phase: AnalysisPhase; onFailure: FailureAction; summary: string }
  /** onFailure: report. The verdict was not Successful and the deployment goes on: a warning. */
  | { type: 'analysis-failure-reported'; analysis: string; phase: AnalysisPhase; summary: string }
  /** onFailure: pause. The deployment waits where it is for ecs-rollout promote or abort. */
  | { type: 'analysis-waiting-for-operator'; analysis: string; phase: AnalysisPhase; summary: string; stage: string | undefined; expiresAt: string | undefined }
  /** Before anything changed: an alarm an analysis watches was already in ALARM, so it cannot judge the new version. */
  | { type: 'alarm-already-firing'; analysis: string; alarm: string; since: string | undefined; reason: string | undefined; action: 'stop' | 'proceed' }
  // The tool's own canary (executor alb), see alb-canary/events.ts.
  | AlbCanaryEvent
  // Blue/green through CodeDeploy, see codedeploy/events.ts.
  | CodeDeployEvent
);

/** One measurement of one metric, and where the metric stands after it. */
export interface AnalysisMeasurement {
  analysis: string;
  metric: string;
  /** 1-based, counting errors too. */
  index: number;
  phase: AnalysisPhase;
  /** What the provider measured (for compare: stable, the canary's value); undefined when nothing was measured. */
  value: MeasuredValue | undefined;
  /** compare: stable only: the same query for the stable revision. */
  stable?: MeasuredValue | undefined;
  /** Why this phase, with the figures. */
  message: string;
  /** What the provider printed or answered (command output, response body, alarm states), for the deployment log. */
  output: string[];
  /** The metric after this measurement: Running, or decided. */
  metricPhase: AnalysisPhase | 'Running';
  /** When the next measurement is due; undefined when the metric is decided. */
  nextInMs: number | undefined;
}

export type RolloutEventType = RolloutEvent['type'];
export type EventListener = (event: RolloutEvent) => void;

/** Distributive Omit, so each variant keeps its own fields. */
export type EventBody = RolloutEvent extends infer E ? (E extends RolloutEvent ? Omit<E, 'at'> : never) : never;
