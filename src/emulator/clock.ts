/**
 * The emulator's clock: AWS's real durations, run `speed` times faster.
 * Virtual time starts at the real time the clock was made and advances
 * `speed` virtual milliseconds per real millisecond, so timestamps stay
 * plausible and every duration (health check intervals, deregistration
 * delays, stop timeouts) keeps AWS's proportions.
 */
export interface Clock {
  readonly speed: number;
  /** Virtual epoch milliseconds. */
  now(): number;
  /** Real milliseconds that `virtualMs` virtual milliseconds take. */
  toReal(virtualMs: number): number;
  /** The real epoch milliseconds at which the clock showed `virtualEpochMs`. */
  realTimeAt(virtualEpochMs: number): number;
  /** Resolves after `virtualMs`; rejects with the signal's reason when aborted. */
  sleep(virtualMs: number, signal?: AbortSignal): Promise<void>;
  /** Runs `fn` after `virtualMs`; returns a function that cancels it. */
  after(virtualMs: number, fn: () => void): () => void;
}

export function createClock(speed = 1, realNow: () => number = Date.now): Clock {
  if (!Number.isFinite(speed) || speed <= 0) throw new RangeError(`speed must be a positive number, got ${speed}`);
  const realStart = realNow();
  const toReal = (virtualMs: number): number => Math.max(0, virtualMs / speed);
  return {
    speed,
    now: () => realStart + (realNow() - realStart) * speed,
    toReal,
    realTimeAt: (virtualEpochMs) => realStart + (virtualEpochMs - realStart) / speed,
    sleep(virtualMs, signal) {
      return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const onAbort = (): void => {
          clearTimeout(timer);
          reject(signal?.reason);
        };
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, toReal(virtualMs));
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    after(virtualMs, fn) {
      const timer = setTimeout(fn, toReal(virtualMs));
      timer.unref?.();
      return () => clearTimeout(timer);
    },
  };
}
