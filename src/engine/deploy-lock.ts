import type { Tag } from '@aws-sdk/client-ecs';
import { doing, RolloutError } from '../spec/errors.js';
import type { EventBody } from './events.js';
import type { ServiceControlPort } from './ports.js';

/**
 * One deploy at a time per service. The lock is a tag on the ECS service
 * (so it lives in AWS, where every pipeline sees it): who holds it, for
 * which deployment, since when and until when. It expires on its own, so a
 * killed deploy does not block the service for ever; --force takes it over.
 */
export const LOCK_TAG = 'ecs-rollout:lock';
/** Beyond the deploy's own timeout: time to report, roll back and let go. */
export const LOCK_MARGIN_MS = 5 * 60_000;

export interface DeployLock {
  deploymentId: string;
  who: string;
  since: string;
  expires: string;
}

export type LockState =
  | { kind: 'free' }
  | { kind: 'ours'; lock: DeployLock }
  | { kind: 'expired'; lock: DeployLock }
  | { kind: 'held'; lock: DeployLock };

/** The tag's value: four space-separated fields (tag values allow spaces, colons and @). */
export function lockValue(lock: DeployLock): string {
  return [lock.deploymentId, lock.since, lock.expires, lock.who.replace(/\s+/g, '_')].join(' ');
}

export function parseLock(value: string | undefined): DeployLock | undefined {
  if (!value) return undefined;
  const [deploymentId, since, expires, who] = value.split(' ');
  if (!deploymentId || !since || !expires || !who || Number.isNaN(Date.parse(expires))) return undefined;
  return { deploymentId, since, expires, who };
}

/** What the service's tags say of the lock, for this deployment at `now`. Pure. */
export function judgeLock(tags: readonly Tag[], deploymentId: string, now: number): LockState {
  const lock = parseLock(tags.find((t) => t.key === LOCK_TAG)?.value);
  if (!lock) return { kind: 'free' };
  if (lock.deploymentId === deploymentId) return { kind: 'ours', lock };
  if (Date.parse(lock.expires) <= now) return { kind: 'expired', lock };
  return { kind: 'held', lock };
}

export interface LockRequest {
  serviceArn: string;
  service: string;
  deploymentId: string;
  who: string;
  now: number;
  /** How long the lock is good for without being let go. */
  ttlMs: number;
  force: boolean;
}

/**
 * Takes the service's lock, or refuses naming who holds it (exit 2, nothing
 * changed). The write is read back: of two deploys taking a free lock at
 * once, the one whose value stays wins and the other is refused.
 */
export async function acquireLock(services: ServiceControlPort, request: LockRequest, emit: (event: EventBody) => void, signal?: AbortSignal): Promise<DeployLock> {
  const read = async () => doing(`read the tags of service ${request.service}`, () => services.readTags(request.serviceArn, signal));
  const state = judgeLock(await read(), request.deploymentId, request.now);
  if (state.kind === 'held' && !request.force) {
    const { lock } = state;
    emit({ type: 'preflight-failed', check: 'lock', message: `service ${request.service} is being deployed by ${lock.who} since ${lock.since}` });
    throw new RolloutError(
      'PreflightFailed',
      `preflight failed: service ${request.service} is being deployed by ${lock.who} since ${lock.since} (deployment ${lock.deploymentId}; its lock expires at ${lock.expires}). ` +
        'Wait for that deploy to end (ecs-rollout status shows it), or pass --force to take the lock over if it is dead',
    );
  }
  if (state.kind === 'held' || state.kind === 'expired') {
    emit({ type: 'lock-taken-over', holder: state.lock.who, since: state.lock.since, deploymentId: state.lock.deploymentId, expired: state.kind === 'expired' });
  }
  const lock: DeployLock = { deploymentId: request.deploymentId, who: request.who, since: new Date(request.now).toISOString(), expires: new Date(request.now + request.ttlMs).toISOString() };
  await doing(`lock service ${request.service} (tag ${LOCK_TAG})`, () => services.writeTags(request.serviceArn, [{ key: LOCK_TAG, value: lockValue(lock) }], signal));
  const after = judgeLock(await read(), request.deploymentId, request.now);
  if (after.kind !== 'ours') {
    const holder = after.kind === 'free' ? 'someone who let go at once' : after.lock.who;
    throw new RolloutError('PreflightFailed', `preflight failed: service ${request.service} was locked by ${holder} at the same moment; nothing was changed. Run the deploy again when theirs has ended`);
  }
  emit({ type: 'preflight-passed', check: 'lock', message: `service ${request.service} locked for this deploy until ${lock.expires}` });
  return lock;
}

/** Lets the lock go, if it is still ours. Never throws: a lock left behind expires on its own. */
export async function releaseLock(services: ServiceControlPort, serviceArn: string, deploymentId: string): Promise<void> {
  try {
    const state = judgeLock(await services.readTags(serviceArn), deploymentId, Date.now());
    if (state.kind === 'ours') await services.removeTags(serviceArn, [LOCK_TAG]);
  } catch {
    // The lock expires by itself; the deploy's own outcome matters more than this clean-up.
  }
}
