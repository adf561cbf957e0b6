import type { Clock } from '../../clock.js';

/**
 * Calls `tick(at)` at every multiple of `intervalMs` of virtual time, `at`
 * being that boundary (not the slightly later moment the timer fired), so a
 * reading is attributed to the period it closes. The next boundary is
 * scheduled only once a tick has settled: a slow tick never overlaps the
 * next one, it skips the boundaries it overran.
 */
export interface AlignedTicker {
  /** No further ticks; resolves once a tick under way has settled. */
  stop(): Promise<void>;
}

export function startAlignedTicker(
  clock: Clock,
  intervalMs: number,
  tick: (at: number) => Promise<void> | void,
  onError: (err: unknown) => void,
): AlignedTicker {
  let stopped = false;
  let cancel = (): void => {};
  let running: Promise<void> = Promise.resolve();
  let last = Number.NEGATIVE_INFINITY;

  const schedule = (): void => {
    if (stopped) return;
    const now = clock.now();
    // Timers round to whole real milliseconds and may fire a little before the boundary: never tick one twice.
    const next = Math.max((Math.floor(now / intervalMs) + 1) * intervalMs, last + intervalMs);
    last = next;
    cancel = clock.after(next - now, () => {
      running = (async () => {
        try {
          await tick(next);
        } catch (err) {
          onError(err);
        }
      })().finally(schedule);
    });
  };
  schedule();

  return {
    async stop() {
      stopped = true;
      cancel();
      await running;
    },
  };
}
