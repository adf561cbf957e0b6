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

/**
 * The real milliseconds to allow real work (a health check's round trip, a
 * probe process) that AWS gives `virtualMs`. Waits run `speed` times faster,
 * but a busy host does not answer or start a process faster: a 2 s timeout
 * at --speed 50 would be 40 ms, which a loaded machine misses for reasons
 * that have nothing to do with the target. So the scaled time never goes
 * below the smaller of the virtual time itself and one real second.
 */
export const WORK_TIMEOUT_FLOOR_REAL_MS = 1_000;

export function workTimeoutRealMs(clock: Pick<Clock, 'toReal'>, virtualMs: number): number {
  return Math.max(clock.toReal(virtualMs), Math.min(virtualMs, WORK_TIMEOUT_FLOOR_REAL_MS));
}
