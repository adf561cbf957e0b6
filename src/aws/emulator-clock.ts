import { followingClock, systemClock, type Clock } from '../engine/clock.js';
import type { Connection } from '../spec/connection.js';

const HEALTH_PATH = '/_emulator/health';
const ASK_TIMEOUT_MS = 1_000;

/**
 * The clock the deployment's own durations (analysis intervals, metric
 * windows, canary pauses) are counted in: the emulator's when the endpoint is
 * a local emulator that shows its clock (it may run faster than real
 * time), the system clock otherwise. Real AWS endpoints are never asked.
 */
export async function stepClockFor(connection: Connection): Promise<{ clock: Clock; speed: number }> {
  const real = { clock: systemClock, speed: 1 };
  if (!connection.endpoint || !connection.loopback) return real;
  try {
    const realAt = Date.now();
    const response = await fetch(new URL(HEALTH_PATH, connection.endpoint), { signal: AbortSignal.timeout(ASK_TIMEOUT_MS) });
    if (!response.ok) return real;
    const body = (await response.json()) as { clock?: { speed?: unknown; now?: unknown } };
    const { speed, now } = body.clock ?? {};
    if (typeof speed !== 'number' || typeof now !== 'number' || !(speed > 0)) return real;
    return { clock: followingClock({ speed, now }, realAt), speed };
  } catch {
    // Not an emulator, or not answering yet: the AWS calls that follow report what is wrong.
    return real;
  }
}
