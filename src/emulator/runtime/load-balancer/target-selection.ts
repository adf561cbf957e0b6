/**
 * Which registered target gets the next request. ALB routes only to healthy
 * targets, but when a group has none it fails open to every registered target
 * that is not draining. Draining targets never get new requests.
 */

export type RoutingHealth = 'initial' | 'healthy' | 'unhealthy' | 'unavailable';

export interface Candidate {
  draining: boolean;
  health: RoutingHealth;
}

/** 'unavailable' means health checks are disabled: ALB routes to such targets. */
const routable = (c: Candidate): boolean => c.health === 'healthy' || c.health === 'unavailable';

/** Indexes (into `candidates`) of the targets this request may go to. */
export function eligibleTargets(candidates: readonly Candidate[]): number[] {
  const live = candidates.flatMap((c, i) => (c.draining ? [] : [i]));
  const healthy = live.filter((i) => routable(candidates[i] as Candidate));
  return healthy.length > 0 ? healthy : live;
}

/** Round robin over the eligible targets; undefined when there are none. */
export function pickTarget(candidates: readonly Candidate[], turn: number): number | undefined {
  const eligible = eligibleTargets(candidates);
  if (eligible.length === 0) return undefined;
  return eligible[turn % eligible.length];
}
