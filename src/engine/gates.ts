import type { Gate } from '../spec/strategy.js';
import type { Clock } from './clock.js';
import type { EventBody } from './events.js';
import type { GateCheckPort } from './ports.js';

export type GateOutcome = { passed: true } | { passed: false; reason: string };

/**
 * Runs one gate: up to retries+1 attempts, `interval` apart on the injected
 * clock. Every attempt's output goes into the event stream, so it ends up in
 * the deployment log whatever the outcome.
 */
export async function runGate(gate: Gate, checks: GateCheckPort, clock: Clock, emit: (event: EventBody) => void, signal?: AbortSignal): Promise<GateOutcome> {
  const attempts = gate.check.retries + 1;
  emit({ type: 'gate-started', gate: gate.name, stage: gate.stage, kind: gate.check.kind, attempts });
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    const result = await checks.attempt(gate.check, signal);
    for (const line of result.lines) emit({ type: 'gate-output', gate: gate.name, attempt, line });
    if (result.ok) {
      emit({ type: 'gate-passed', gate: gate.name, attempt });
      return { passed: true };
    }
    last = result.summary;
    const retryInMs = attempt < attempts ? gate.check.intervalMs : undefined;
    emit({ type: 'gate-attempt-failed', gate: gate.name, attempt, reason: result.summary, retryInMs });
    if (retryInMs !== undefined) await clock.sleep(retryInMs, signal);
  }
  const reason = `gate ${gate.name} failed after ${attempts} attempt${attempts > 1 ? 's' : ''}: ${last}`;
  emit({ type: 'gate-failed', gate: gate.name, reason });
  return { passed: false, reason };
}

/** Runs a stage's gates in file order; the first failure decides (later gates would test a doomed revision). */
export async function runGates(gates: readonly Gate[], checks: GateCheckPort, clock: Clock, emit: (event: EventBody) => void, signal?: AbortSignal): Promise<GateOutcome> {
  for (const gate of gates) {
    const outcome = await runGate(gate, checks, clock, emit, signal);
    if (!outcome.passed) return outcome;
  }
  return { passed: true };
}
