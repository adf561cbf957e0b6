/**
 * Smooth weighted round robin (as nginx does it): deterministic, spreads the
 * picks of each choice evenly over time, and needs only one number of state
 * per choice. A 10/90 split gives exactly 10% over any 10 consecutive picks.
 */

export interface WeightedRoundRobinState {
  /** The running "current weight" of each choice, same order as the weights. */
  readonly current: readonly number[];
}

export function initialWeightedState(count: number): WeightedRoundRobinState {
  return { current: new Array<number>(count).fill(0) };
}

/**
 * Picks the next index for `weights` (non-negative integers). Returns
 * undefined when every weight is zero. A state whose length does not match
 * the weights (the weights changed shape) starts over.
 */
export function nextWeighted(
  weights: readonly number[],
  state: WeightedRoundRobinState,
): { index: number; state: WeightedRoundRobinState } | undefined {
  const total = weights.reduce((sum, w) => sum + Math.max(0, w), 0);
  if (total === 0) return undefined;
  const previous = state.current.length === weights.length ? state.current : initialWeightedState(weights.length).current;
  const current = previous.map((value, i) => value + Math.max(0, weights[i] ?? 0));
  let best = -1;
  current.forEach((value, i) => {
    if ((weights[i] ?? 0) > 0 && (best < 0 || value > (current[best] ?? -Infinity))) best = i;
  });
  current[best] = (current[best] ?? 0) - total;
  return { index: best, state: { current } };
}
