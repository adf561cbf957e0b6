/**
 * When the emulated services publish their CloudWatch metrics. ALB and ECS
 * both publish at CloudWatch's standard 60-second resolution; what they cannot
 * count (target health, process usage) they sample every 20 seconds, as the
 * ECS agent samples container usage, and aggregate per minute.
 */

/** One data point per metric per minute, timestamped at the minute's start (virtual time). */
export const METRIC_PERIOD_MS = 60_000;

/** Readings per period: at :00, :20 and :40 of every virtual minute. */
export const SAMPLE_INTERVAL_MS = 20_000;

/** The start of the period `at` (virtual epoch ms) falls in. */
export function periodStart(at: number): number {
  return Math.floor(at / METRIC_PERIOD_MS) * METRIC_PERIOD_MS;
}

/**
 * The period a reading taken at the boundary `at` describes: the interval
 * that ended at `at`, so the reading at 12:01:00 closes 12:00.
 */
export function periodOfReading(at: number): number {
  return periodStart(at - 1);
}

/** Whether the period that starts at `start` is over at `at`: no later reading can add to it. */
export function isPeriodClosed(start: number, at: number): boolean {
  return start + METRIC_PERIOD_MS <= at;
}
