import type { Clock } from '../engine/clock.js';
import type { EventBody } from '../engine/events.js';
import type { MetricsPort, ProbePort } from '../engine/ports.js';
import { RolloutError } from '../spec/errors.js';
import type { Analysis } from '../spec/analysis.js';
import { addMeasurement, assessMetric, EMPTY_TALLY, endsAnalysis, tallyText, worstPhase, type MetricTally } from './assessment.js';
import type { AnalysisPhase, AnalysisRunner, AnalysisVariables, AnalysisVerdict } from './contract.js';
import { measure, prepareMetric, type PreparedMetric, type ProviderDeps } from './measure.js';
import type { PreexistingAlarms } from './providers/alarm.js';

export interface AnalysisRunnerOptions {
  /** The analyses of the config file, resolved (spec/analysis.ts resolveAnalyses). */
  analyses: ReadonlyMap<string, Analysis>;
  metrics: MetricsPort;
  probes: ProbePort;
  clock: Clock;
  emit: (event: EventBody) => void;
  /** Alarms found firing before the deployment started whose analyses proceed anyway (preexisting-alarms.ts). */
  preexistingAlarms?: PreexistingAlarms | undefined;
}

interface MetricEnd {
  name: string;
  phase: AnalysisPhase;
  reason: string;
  last: string;
  tally: MetricTally;
}

/**
 * Runs analyses as Argo Rollouts runs an AnalysisRun: every metric on its
 * own schedule (initialDelay, then a measurement every interval, an error
 * retried after errorRetryInterval) on the injected clock, assessed after
 * each measurement. The first metric to end Failed, Error or Inconclusive
 * ends the whole analysis at once (that is what makes a rollback fast);
 * otherwise it ends when every metric is Successful.
 */
export function createAnalysisRunner(options: AnalysisRunnerOptions): AnalysisRunner {
  const { analyses, clock, emit } = options;
  const deps: ProviderDeps = { metrics: options.metrics, probes: options.probes, preexistingAlarms: options.preexistingAlarms ?? new Map() };

  const runMetric = async (analysis: Analysis, prepared: PreparedMetric, startedAt: number, signal: AbortSignal): Promise<MetricEnd> => {
    const { metric } = prepared;
    let tally = EMPTY_TALLY;
    if (metric.initialDelayMs > 0) await clock.sleep(metric.initialDelayMs, signal);
    for (let index = 1; ; index += 1) {
      const taken = await measure(prepared, deps, clock.now(), signal, startedAt);
      tally = addMeasurement(tally, taken.phase);
      const assessment = assessMetric(metric.limits, tally);
      const nextInMs = assessment.phase === 'Running' ? (taken.phase === 'Error' ? metric.errorRetryIntervalMs : metric.intervalMs) : undefined;
      emit({
        type: 'analysis-measurement',
        analysis: analysis.name,
        metric: metric.name,
        index,
        phase: taken.phase,
        value: taken.value,
        ...(metric.compareWithStable ? { stable: taken.stable } : {}),
        message: taken.message,
        output: taken.output,
        metricPhase: assessment.phase,
        nextInMs,
      });
      if (assessment.phase !== 'Running') return { name: metric.name, phase: assessment.phase, reason: assessment.reason, last: taken.message, tally };
      if (nextInMs !== undefined && nextInMs > 0) await clock.sleep(nextInMs, signal);
    }
  };

  return {
    has: (name) => analyses.has(name),

    async run(name: string, variables: AnalysisVariables, signal: AbortSignal): Promise<AnalysisVerdict> {
      const analysis = analyses.get(name);
      if (!analysis) throw new RolloutError('InvalidConfig', `no analysis named '${name}' in the analysis: section of the config file`);
      const startedAt = clock.now();
      emit({ type: 'analysis-started', analysis: name, metrics: analysis.metrics.map((m) => m.name), purpose: purposeOf(variables) });
      const finish = (phase: AnalysisPhase, summary: string): AnalysisVerdict => {
        emit({ type: 'analysis-finished', analysis: name, phase, onFailure: analysis.onFailure, summary });
        return { analysis: name, phase, onFailure: analysis.onFailure, summary };
      };

      const prepared: PreparedMetric[] = [];
      for (const metric of analysis.metrics) {
        const outcome = prepareMetric(metric, variables);
        // Argo fails a run whose arguments do not resolve with Error: nothing was measured.
        if (!outcome.ok) return finish('Error', outcome.message);
        prepared.push(outcome.prepared);
      }

      const stop = new AbortController();
      const metricSignal = AbortSignal.any([signal, stop.signal]);
      const ends = await Promise.all(
        prepared.map(async (p) => {
          try {
            const end = await runMetric(analysis, p, startedAt, metricSignal);
            if (endsAnalysis(end.phase)) stop.abort(new Error(`metric ${end.name} ended ${end.phase}`));
            return end;
          } catch (err) {
            // Another metric decided the analysis: this one's unfinished measurements do not count.
            if (!signal.aborted && stop.signal.aborted) return undefined;
            // Anything else (the deployment's abort, a bug) must not leave the other metrics measuring.
            stop.abort(err);
            throw err;
          }
        }),
      );
      if (signal.aborted) throw signal.reason;
      const decided = ends.filter((e): e is MetricEnd => e !== undefined);
      const phase = worstPhase(decided.map((e) => e.phase));
      if (phase !== 'Successful') {
        const decider = decided.find((e) => e.phase === phase);
        return finish(phase, `metric ${decider?.name} ${phase}: ${decider?.reason}; last measurement: ${decider?.last}`);
      }
      return finish('Successful', decided.map((e) => `metric ${e.name} Successful (${tallyText(e.tally)}): ${e.last}`).join('; '));
    },
  };
}

/** What an analysis run is for, from the variables its driver gives: shown when it starts. */
function purposeOf(variables: AnalysisVariables): string {
  const parts: string[] = [];
  if (variables.stage) parts.push(`at ${variables.stage}`);
  if (variables.step) parts.push(`step ${variables.step}`);
  if (variables['canary.weight']) parts.push(`canary at ${variables['canary.weight']}%`);
  const service = variables['canary.service'] ?? variables.service;
  if (service) parts.push(`service ${service}`);
  return parts.join(', ') || 'deployment';
}
