import type { MetricLimits, ParsedConditionSource } from '../spec/analysis.js';
import { evaluateCondition, show, type MeasuredValue } from './condition-evaluate.js';
import type { AnalysisPhase } from './contract.js';

/**
 * Argo Rollouts' assessment, as pure functions: a measurement's phase from
 * its conditions, a metric's phase from its tally and limits, an analysis's
 * phase from its metrics. Argo's analysis/analysis.go and
 * utils/evaluate/evaluate.go are the reference; where this differs it says so.
 */

export type MetricPhase = AnalysisPhase | 'Running';

export interface MeasurementOutcome {
  phase: AnalysisPhase;
  message: string;
}

/**
 * A measured value judged by the metric's conditions (Argo's EvaluateResult):
 * - no conditions: Successful;
 * - only successCondition: Successful when it holds, else Failed;
 * - only failureCondition: Failed when it holds, else Successful;
 * - both: Failed when failureCondition holds (even if successCondition does
 *   too), Successful when only successCondition holds, else Inconclusive.
 * A condition that cannot be evaluated (NaN, text for a number) is an Error.
 */
export function judgeMeasurement(
  conditions: { successCondition: ParsedConditionSource | undefined; failureCondition: ParsedConditionSource | undefined },
  values: Readonly<Record<string, MeasuredValue | undefined>>,
): MeasurementOutcome {
  const { successCondition, failureCondition } = conditions;
  const figures = describeValues(values);
  const check = (c: ParsedConditionSource, field: string): { holds: boolean } | { error: string } => {
    const evaluation = evaluateCondition(c.condition, values);
    return evaluation.ok ? { holds: evaluation.value } : { error: `could not evaluate ${field} '${c.source}' with ${figures}: ${evaluation.message}` };
  };
  if (!successCondition && !failureCondition) return { phase: 'Successful', message: `${figures} (no conditions)` };
  const success = successCondition ? check(successCondition, 'successCondition') : undefined;
  if (success && 'error' in success) return { phase: 'Error', message: success.error };
  const failure = failureCondition ? check(failureCondition, 'failureCondition') : undefined;
  if (failure && 'error' in failure) return { phase: 'Error', message: failure.error };

  if (successCondition && !failureCondition) {
    return success?.holds
      ? { phase: 'Successful', message: `${figures}: successCondition '${successCondition.source}' holds` }
      : { phase: 'Failed', message: `${figures}: successCondition '${successCondition.source}' does not hold` };
  }
  if (failureCondition && !successCondition) {
    return failure?.holds
      ? { phase: 'Failed', message: `${figures}: failureCondition '${failureCondition.source}' holds` }
      : { phase: 'Successful', message: `${figures}: failureCondition '${failureCondition.source}' does not hold` };
  }
  if (failure?.holds) return { phase: 'Failed', message: `${figures}: failureCondition '${failureCondition?.source}' holds` };
  if (success?.holds) return { phase: 'Successful', message: `${figures}: successCondition '${successCondition?.source}' holds` };
  return { phase: 'Inconclusive', message: `${figures}: neither successCondition '${successCondition?.source}' nor failureCondition '${failureCondition?.source}' holds` };
}

function describeValues(values: Readonly<Record<string, MeasuredValue | undefined>>): string {
  const shown = Object.entries(values).filter(([name, v]) => v !== undefined && !(name === 'result' && 'canary' in values));
  return shown.map(([name, v]) => `${name} = ${show(v as MeasuredValue)}`).join(', ') || 'no value';
}

/** A metric's measurements so far, counted as Argo's MetricResult counts them. */
export interface MetricTally {
  /** Measurements that were not errors: count is reached on these. */
  count: number;
  successful: number;
  failed: number;
  inconclusive: number;
  error: number;
  consecutiveError: number;
  consecutiveSuccess: number;
}

export const EMPTY_TALLY: MetricTally = { count: 0, successful: 0, failed: 0, inconclusive: 0, error: 0, consecutiveError: 0, consecutiveSuccess: 0 };

/** The tally after one more measurement. An error does not count towards count; anything else resets consecutive errors. */
export function addMeasurement(tally: MetricTally, phase: AnalysisPhase): MetricTally {
  switch (phase) {
    case 'Successful':
      return { ...tally, successful: tally.successful + 1, count: tally.count + 1, consecutiveError: 0, consecutiveSuccess: tally.consecutiveSuccess + 1 };
    case 'Failed':
      return { ...tally, failed: tally.failed + 1, count: tally.count + 1, consecutiveError: 0, consecutiveSuccess: 0 };
    case 'Inconclusive':
      return { ...tally, inconclusive: tally.inconclusive + 1, count: tally.count + 1, consecutiveError: 0, consecutiveSuccess: 0 };
    case 'Error':
      return { ...tally, error: tally.error + 1, consecutiveError: tally.consecutiveError + 1, consecutiveSuccess: 0 };
  }
}

export interface MetricAssessment {
  phase: MetricPhase;
  /** Why it is decided, with the figures; empty while Running. */
  reason: string;
}

/**
 * Where a metric stands after its latest measurement (Argo's
 * assessMetricStatus). The limits are checked in Argo's order and the last
 * one crossed wins: failed > failureLimit (unless failureLimit is -1) gives
 * Failed, inconclusive > inconclusiveLimit Inconclusive, consecutive errors >
 * consecutiveErrorLimit Error. Then consecutiveSuccessLimit reached gives
 * Successful. When count is reached: Successful, except that with
 * consecutiveSuccessLimit set it is Inconclusive (failureLimit also set) or
 * Failed (failureLimit -1), the limit not having been reached.
 */
export function assessMetric(limits: MetricLimits, tally: MetricTally): MetricAssessment {
  let decided: MetricAssessment | undefined;
  if (limits.failureLimit >= 0 && tally.failed > limits.failureLimit) decided = { phase: 'Failed', reason: `failed ${tally.failed} > failureLimit ${limits.failureLimit}` };
  if (tally.inconclusive > limits.inconclusiveLimit) decided = { phase: 'Inconclusive', reason: `inconclusive ${tally.inconclusive} > inconclusiveLimit ${limits.inconclusiveLimit}` };
  if (tally.consecutiveError > limits.consecutiveErrorLimit) decided = { phase: 'Error', reason: `consecutive errors ${tally.consecutiveError} > consecutiveErrorLimit ${limits.consecutiveErrorLimit}` };
  if (decided) return decided;

  const successLimit = limits.consecutiveSuccessLimit > 0;
  if (successLimit && tally.consecutiveSuccess >= limits.consecutiveSuccessLimit) {
    return { phase: 'Successful', reason: `consecutive successes ${tally.consecutiveSuccess} reached consecutiveSuccessLimit ${limits.consecutiveSuccessLimit}` };
  }
  if (tally.count >= limits.count) {
    const failureApplies = limits.failureLimit >= 0;
    if (successLimit && failureApplies) {
      return { phase: 'Inconclusive', reason: `count ${limits.count} reached with consecutiveSuccessLimit ${limits.consecutiveSuccessLimit} not reached and failureLimit ${limits.failureLimit} not crossed` };
    }
    if (successLimit) return { phase: 'Failed', reason: `count ${limits.count} reached without consecutiveSuccessLimit ${limits.consecutiveSuccessLimit}` };
    return { phase: 'Successful', reason: `count ${limits.count} reached: ${tallyText(tally)}` };
  }
  return { phase: 'Running', reason: '' };
}

export function tallyText(tally: MetricTally): string {
  const parts = [`${tally.successful} successful`];
  if (tally.failed) parts.push(`${tally.failed} failed`);
  if (tally.inconclusive) parts.push(`${tally.inconclusive} inconclusive`);
  if (tally.error) parts.push(`${tally.error} error${tally.error > 1 ? 's' : ''}`);
  return parts.join(', ');
}

/** Best to worst, as Argo orders completed phases: the worst metric is the analysis. */
const SEVERITY: readonly AnalysisPhase[] = ['Successful', 'Inconclusive', 'Error', 'Failed'];

export function worstPhase(phases: readonly AnalysisPhase[]): AnalysisPhase {
  return phases.reduce<AnalysisPhase>((worst, p) => (SEVERITY.indexOf(p) > SEVERITY.indexOf(worst) ? p : worst), 'Successful');
}

/** A metric that ended in anything but Successful ends the whole analysis (Argo's IsTerminating): later measurements cannot undo it. */
export function endsAnalysis(phase: MetricPhase): boolean {
  return phase === 'Failed' || phase === 'Error' || phase === 'Inconclusive';
}
