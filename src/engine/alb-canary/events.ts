/**
 * What the tool's own canary (executor alb) tells its renderers. Part of the
 * one event stream (RolloutEvent); `at` is added when emitted.
 * Steps are numbered from 1 as people count them.
 */
export type AlbCanaryEvent =
  | {
      type: 'canary-planned';
      stableService: string;
      canaryService: string;
      /** Listener rule or listener ARN whose weights move. */
      route: string;
      canaryCount: number;
      steps: string[];
      notes: string[];
    }
  | { type: 'canary-resumed'; run: string; step: number; totalSteps: number; phase: string; weight: number; startedAt: string }
  | { type: 'canary-scaling'; service: string; taskDefinitionArn: string; desiredCount: number }
  | { type: 'canary-healthy'; service: string; targetGroupArn: string; healthy: number; desired: number }
  | { type: 'step-started'; step: number; totalSteps: number; description: string }
  | { type: 'step-finished'; step: number; totalSteps: number; description: string }
  | { type: 'weights-changed'; route: string; stable: number; canary: number; confirmed: boolean }
  | { type: 'pause-started'; step: number; durationMs: number; until: string }
  | { type: 'waiting-for-promote'; step: number; totalSteps: number; reason: string }
  | { type: 'promote-received'; step: number; by: string }
  | { type: 'canary-warning'; message: string }
  | { type: 'promoting'; service: string; taskDefinitionArn: string; deploymentId: string }
  | { type: 'promoted'; service: string; taskDefinitionArn: string; healthy: number }
  | { type: 'canary-scaled-down'; service: string }
  | { type: 'rolling-back'; reason: string; aborted: boolean }
  | { type: 'rolled-back'; reason: string; aborted: boolean; stable: number; canary: number };

export type AlbCanaryEventType = AlbCanaryEvent['type'];
export type AlbCanaryEmit = (event: AlbCanaryEvent) => void;
