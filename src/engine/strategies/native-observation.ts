import type { ServiceDeployment, ServiceRevisionSummary } from '@aws-sdk/client-ecs';
import type { HookState, RevisionShare } from '../events.js';
import { BAKE_HOOK_STAGE, promotableBakeMinutes } from './native-config.js';

/** What one DescribeServiceDeployments shows of a native deployment, flattened for events. Pure. */
export interface NativeSnapshot {
  status: string;
  stage: string | undefined;
  revisions: RevisionShare[];
  hooks: HookState[];
  productionWeight: number | undefined;
  strategy: string | undefined;
  bakeTimeInMinutes: number | undefined;
  stepBakeMinutes: number | undefined;
  /** Minutes of the final bake when it is held by the tool's PAUSE hook (strategy.promotableBake). */
  promotableBakeMinutes: number | undefined;
}

export function snapshotOf(sd: ServiceDeployment): NativeSnapshot {
  const target = sd.targetServiceRevision ? [share(sd.targetServiceRevision, 'target')] : [];
  const config = sd.deploymentConfiguration;
  return {
    status: sd.status ?? 'UNKNOWN',
    stage: sd.lifecycleStage,
    revisions: [...target, ...(sd.sourceServiceRevisions ?? []).map((r) => share(r, 'source'))],
    hooks: (sd.lifecycleHookDetails ?? []).map((h) => ({
      hookId: h.hookId ?? '',
      targetType: h.targetType,
      status: h.status,
      expiresAt: h.expiresAt?.toISOString(),
      timeoutAction: h.timeoutAction,
    })),
    productionWeight: sd.targetServiceRevision?.requestedProductionTrafficWeight,
    strategy: config?.strategy,
    bakeTimeInMinutes: config?.bakeTimeInMinutes,
    promotableBakeMinutes: promotableBakeMinutes(config?.lifecycleHooks),
    stepBakeMinutes: config?.strategy === 'CANARY' ? config.canaryConfiguration?.canaryBakeTimeInMinutes : config?.strategy === 'LINEAR' ? config.linearConfiguration?.stepBakeTimeInMinutes : undefined,
  };
}

function share(r: ServiceRevisionSummary, role: RevisionShare['role']): RevisionShare {
  return {
    arn: r.arn ?? '',
    role,
    requested: r.requestedTaskCount ?? 0,
    running: r.runningTaskCount ?? 0,
    pending: r.pendingTaskCount ?? 0,
    productionWeight: r.requestedProductionTrafficWeight,
    testWeight: r.requestedTestTrafficWeight,
  };
}

/** Changes when anything a person watches changes: stage, weights, task counts. */
export function snapshotKey(s: NativeSnapshot): string {
  return JSON.stringify([s.status, s.stage, s.revisions]);
}

/**
 * A bake is a wait with no hook to resolve: the final bake (stage BAKE_TIME,
 * blue kept warm) or a canary/linear step bake (production partly shifted).
 * ECS does not report when a bake began, so `since` is when we first saw it.
 */
export interface BakeWindow {
  kind: 'step' | 'final';
  /** Identifies this bake: a new key is a new bake. */
  key: string;
  durationMs: number;
  /** When ECS ends it, where ECS says (the promotable bake's hook expiry; epoch ms). */
  endsAt?: number | undefined;
  /** The PAUSE hook holding a promotable bake: promote answers it to end the bake now. */
  hookId?: string | undefined;
}

/** The tool's PAUSE hook holding a promotable bake, while it waits; gates never answer it. */
export function bakeHookOf(s: NativeSnapshot): HookState | undefined {
  if (s.promotableBakeMinutes === undefined || s.stage !== BAKE_HOOK_STAGE) return undefined;
  return s.hooks.find((h) => h.status === 'AWAITING_ACTION' && h.targetType === 'PAUSE' && h.timeoutAction === 'CONTINUE');
}

export function bakeOf(s: NativeSnapshot): BakeWindow | undefined {
  if (s.status !== 'IN_PROGRESS') return undefined;
  const held = bakeHookOf(s);
  const busy = s.hooks.some((h) => h.hookId !== held?.hookId && (h.status === 'AWAITING_ACTION' || h.status === 'IN_PROGRESS'));
  if (held && !busy && s.promotableBakeMinutes !== undefined) {
    const expiry = held.expiresAt === undefined ? Number.NaN : Date.parse(held.expiresAt);
    return { kind: 'final', key: `hook:${held.hookId}`, durationMs: s.promotableBakeMinutes * 60_000, endsAt: Number.isNaN(expiry) ? undefined : expiry, hookId: held.hookId };
  }
  if (busy || held) return undefined;
  if (s.stage === 'BAKE_TIME' && s.bakeTimeInMinutes !== undefined) return { kind: 'final', key: 'final', durationMs: s.bakeTimeInMinutes * 60_000 };
  const weight = s.productionWeight;
  if (s.stepBakeMinutes !== undefined && weight !== undefined && weight > 0 && weight < 100) {
    return { kind: 'step', key: `step:${weight}`, durationMs: s.stepBakeMinutes * 60_000 };
  }
  return undefined;
}

/** Statuses the docs group as pending or ongoing: the deployment is not finished. */
export const ONGOING_STATUSES = ['PENDING', 'IN_PROGRESS', 'STOP_REQUESTED', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS'] as const;

export function isOngoing(status: string | undefined): boolean {
  return status !== undefined && (ONGOING_STATUSES as readonly string[]).includes(status);
}
