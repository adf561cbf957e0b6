import type { MeasuredValue } from '../condition-evaluate.js';
import type { AnalysisPhase } from '../contract.js';

/**
 * What one provider call gives: a value for the conditions to judge, or a
 * phase the provider decides itself (an alarm's state, no data, an error).
 * Providers never throw for a failed read, only for the deployment's abort:
 * a failed query is a measurement with phase Error, counted against limits.
 */
export type Reading =
  | { kind: 'value'; value: MeasuredValue; detail: string; lines: string[] }
  | { kind: 'decided'; phase: AnalysisPhase; value?: MeasuredValue | undefined; message: string; lines: string[] };

export function decided(phase: AnalysisPhase, message: string, lines: string[] = [], value?: MeasuredValue): Reading {
  return { kind: 'decided', phase, message, lines, ...(value !== undefined ? { value } : {}) };
}

/** The deployment's own abort goes up; everything else becomes a reading. */
export function rethrowAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason;
}
