import type { MetricsPort, ProbePort } from '../engine/ports.js';
import type { AnalysisMetric, MetricProvider } from '../spec/analysis.js';
import { judgeMeasurement } from './assessment.js';
import type { MeasuredValue } from './condition-evaluate.js';
import type { AnalysisPhase } from './contract.js';
import { measureAlarms, type PreexistingAlarms } from './providers/alarm.js';
import { measureCloudWatch } from './providers/cloudwatch.js';
import { measureCommand } from './providers/command.js';
import { measureHttp } from './providers/http.js';
import type { Reading } from './providers/reading.js';
import { renderDeep, stableView } from './template.js';

export interface ProviderDeps {
  metrics: MetricsPort;
  probes: ProbePort;
  /** Alarms that were firing before the deployment started (preexistingAlarm: proceed). */
  preexistingAlarms: PreexistingAlarms;
}

/** A metric with its provider's templates filled in: for the canary, and for the stable revision with compare: stable. */
export interface PreparedMetric {
  metric: AnalysisMetric;
  canary: MetricProvider;
  stable: MetricProvider | undefined;
}

export interface Measurement {
  phase: AnalysisPhase;
  value: MeasuredValue | undefined;
  stable: MeasuredValue | undefined;
  message: string;
  output: string[];
}

/** Fills in the metric's {{variables}}; a variable this deployment does not provide is a message naming it. */
export function prepareMetric(metric: AnalysisMetric, variables: Readonly<Record<string, string>>): { ok: true; prepared: PreparedMetric } | { ok: false; message: string } {
  const canary = renderDeep(metric.provider, variables);
  if (!canary.ok) return { ok: false, message: `metric ${metric.name}: ${canary.message}` };
  if (!metric.compareWithStable) return { ok: true, prepared: { metric, canary: canary.value, stable: undefined } };
  const stable = renderDeep(metric.provider, stableView(variables));
  if (!stable.ok) return { ok: false, message: `metric ${metric.name} (compare: stable, the stable side): ${stable.message}` };
  return { ok: true, prepared: { metric, canary: canary.value, stable: stable.value } };
}

/**
 * One measurement: the provider read (twice, over the same window, with
 * compare: stable), then the conditions. Never throws but for the abort.
 */
export async function measure(
  prepared: PreparedMetric, deps: ProviderDeps, at: number, signal: AbortSignal | undefined, since?: number,
): Promise<Measurement> {
  const { metric } = prepared;
  const hasConditions = metric.successCondition !== undefined || metric.failureCondition !== undefined;
  const read = (provider: MetricProvider): Promise<Reading> => takeReading(provider, deps, hasConditions, at, signal, since);
  if (!prepared.stable) {
    const reading = await read(prepared.canary);
    if (reading.kind === 'decided') return { phase: reading.phase, value: reading.value, stable: undefined, message: reading.message, output: reading.lines };
    const judged = judgeMeasurement(metric, { result: reading.value });
    return { phase: judged.phase, value: reading.value, stable: undefined, message: `${judged.message} (${reading.detail})`, output: reading.lines };
  }

  const [canary, stable] = await Promise.all([read(prepared.canary), read(prepared.stable)]);
  const output = [...canary.lines.map((l) => `canary: ${l}`), ...stable.lines.map((l) => `stable: ${l}`)];
  const canaryValue = canary.value;
  const stableValue = stable.value;
  if (canary.kind === 'decided') return { phase: canary.phase, value: canaryValue, stable: stableValue, message: `canary: ${canary.message}`, output };
  if (stable.kind === 'decided') {
    // Without a stable figure there is nothing to compare: never a verdict on the canary.
    const phase = stable.phase === 'Inconclusive' ? 'Inconclusive' : 'Error';
    return { phase, value: canaryValue, stable: stableValue, message: `stable: ${stable.message}`, output };
  }
  const judged = judgeMeasurement(metric, { result: canary.value, canary: canary.value, stable: stable.value });
  return { phase: judged.phase, value: canary.value, stable: stable.value, message: `${judged.message} (canary ${canary.detail}; stable ${stable.detail})`, output };
}

function takeReading(
  provider: MetricProvider, deps: ProviderDeps, hasConditions: boolean, at: number, signal: AbortSignal | undefined, since: number | undefined,
): Promise<Reading> {
  switch (provider.kind) {
    case 'cloudwatch':
      return measureCloudWatch(provider, deps.metrics, at, signal, since);
    case 'alarm':
      return measureAlarms(provider.names, deps.metrics, deps.preexistingAlarms, signal);
    case 'http':
      return measureHttp(provider, deps.probes, hasConditions, signal);
    case 'command':
      return measureCommand(provider, deps.probes, hasConditions, signal);
  }
}
