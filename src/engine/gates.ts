import type { AnalysisPhase, AnalysisRunner, AnalysisVariables } from '../analysis/contract.js';
import type { AnalysisGateCheck, Gate } from '../spec/strategy.js';
import type { Clock } from './clock.js';
import type { EventBody } from './events.js';
import type { GateCheckPort } from './ports.js';

/**
 * A gate's verdict. `hold`: an analysis with onFailure: pause did not pass,
 * so the hook is left waiting for a person (promote or abort).
 */
export type GateOutcome =
  | { passed: true }
  | { passed: false; reason: string; hold?: { analysis: string; phase: AnalysisPhase; summary: string } | undefined };

/** What analysis gates need: the runner, and the variables of this stop of the deployment. */
export interface GateAnalysis {
  runner: AnalysisRunner;
  variables: AnalysisVariables;
}

/**
 * Runs one gate: up to retries+1 attempts, `interval` apart on the injected
 * clock. Every attempt's output goes into the event stream, so it ends up in
 * the deployment log whatever the outcome.
 */
export async function runGate(gate: Gate, checks: GateCheckPort, clock: Clock, emit: (event: EventBody) => void, signal?: AbortSignal, analysis?: GateAnalysis): Promise<GateOutcome> {
  const check = gate.check;
  if (check.kind === 'analysis') return runAnalysisGate(gate, check, analysis, emit, signal);
  const attempts = check.retries + 1;
  emit({ type: 'gate-started', gate: gate.name, stage: gate.stage, kind: check.kind, attempts });
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    const result = await checks.attempt(check, signal);
    for (const line of result.lines) emit({ type: 'gate-output', gate: gate.name, attempt, line });
    if (result.ok) {
      emit({ type: 'gate-passed', gate: gate.name, attempt });
      return { passed: true };
    }
    last = result.summary;
    const retryInMs = attempt < attempts ? check.intervalMs : undefined;
    emit({ type: 'gate-attempt-failed', gate: gate.name, attempt, reason: result.summary, retryInMs });
    if (retryInMs !== undefined) await clock.sleep(retryInMs, signal);
  }
  const reason = `gate ${gate.name} failed after ${attempts} attempt${attempts > 1 ? 's' : ''}: ${last}`;
  emit({ type: 'gate-failed', gate: gate.name, reason });
  return { passed: false, reason };
}

/**
 * A gate that runs an analysis: Successful passes; otherwise the analysis's
 * onFailure decides: rollback fails the gate, pause holds the hook for a
 * person, report passes it with a warning event.
 */
async function runAnalysisGate(gate: Gate, check: AnalysisGateCheck, analysis: GateAnalysis | undefined, emit: (event: EventBody) => void, signal: AbortSignal | undefined): Promise<GateOutcome> {
  emit({ type: 'gate-started', gate: gate.name, stage: gate.stage, kind: 'analysis', attempts: 1 });
  if (!analysis?.runner.has(check.analysis)) {
    const reason = `gate ${gate.name}: analysis ${check.analysis} is not defined in the analysis: section`;
    emit({ type: 'gate-failed', gate: gate.name, reason });
    return { passed: false, reason };
  }
  // A deploy without an abort signal still hands the runner one; it is simply never aborted.
  const verdict = await analysis.runner.run(check.analysis, analysis.variables, signal ?? new AbortController().signal);
  if (verdict.phase === 'Successful') {
    emit({ type: 'gate-passed', gate: gate.name, attempt: 1 });
    return { passed: true };
  }
  const reason = `gate ${gate.name}: analysis ${verdict.analysis} ${verdict.phase}: ${verdict.summary}`;
  switch (verdict.onFailure) {
    case 'report':
      emit({ type: 'analysis-failure-reported', analysis: verdict.analysis, phase: verdict.phase, summary: verdict.summary });
      return { passed: true };
    case 'pause':
      return { passed: false, reason, hold: { analysis: verdict.analysis, phase: verdict.phase, summary: verdict.summary } };
    case 'rollback':
      emit({ type: 'gate-failed', gate: gate.name, reason });
      return { passed: false, reason };
  }
}

/** Runs a stage's gates in file order; the first failure decides (later gates would test a doomed revision). */
export async function runGates(gates: readonly Gate[], checks: GateCheckPort, clock: Clock, emit: (event: EventBody) => void, signal?: AbortSignal, analysis?: GateAnalysis): Promise<GateOutcome> {
  for (const gate of gates) {
    const outcome = await runGate(gate, checks, clock, emit, signal, analysis);
    if (!outcome.passed) return outcome;
  }
  return { passed: true };
}
