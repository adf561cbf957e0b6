/** The engine's sense of time, injected so tests run a deployment in no time. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/**
 * A clock that keeps another clock's time: it read `remoteNow` at real time
 * `realAt`, and that clock runs `speed` times faster than real time. Against
 * the emulator run with --speed, the tool's own durations (analysis
 * intervals, metric windows, canary pauses) are then the emulator's minutes,
 * the same minutes ECS bakes and CloudWatch periods are counted in.
 */
export function followingClock(remote: { speed: number; now: number }, realAt: number, realNow: () => number = Date.now): Clock {
  return {
    now: () => remote.now + (realNow() - realAt) * remote.speed,
    sleep: (ms, signal) => systemClock.sleep(ms / remote.speed, signal),
  };
}
