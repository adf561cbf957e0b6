import type { ProbePort } from '../../engine/ports.js';
import type { MetricProvider } from '../../spec/analysis.js';
import { decided, type Reading } from './reading.js';
import { valueFromText } from './value-text.js';

type CommandProvider = Extract<MetricProvider, { kind: 'command' }>;

/**
 * One run of the command. With no conditions its exit status is the verdict
 * (0 Successful, anything else Failed), like a job. With conditions its
 * stdout is the result they judge, so a command that fails to produce one
 * (non-zero exit, timeout) is an Error rather than a verdict on the canary.
 */
export async function measureCommand(provider: CommandProvider, probes: ProbePort, hasConditions: boolean, signal: AbortSignal | undefined): Promise<Reading> {
  const run = await probes.runCommand(provider.run, { timeoutMs: provider.timeoutMs }, signal);
  if (run.kind === 'failed') return decided('Error', run.reason, run.lines);
  const jsonPath = provider.jsonPath && provider.jsonPathText !== undefined ? { steps: provider.jsonPath, text: provider.jsonPathText } : undefined;
  if (!hasConditions) {
    const parsed = valueFromText(run.stdout, jsonPath, `the output of '${provider.run}'`);
    const value = parsed.ok ? parsed.value : run.exitCode;
    return run.exitCode === 0
      ? decided('Successful', `'${provider.run}' exited 0`, run.lines, value)
      : decided('Failed', `'${provider.run}' exited ${run.exitCode}`, run.lines, value);
  }
  if (run.exitCode !== 0) return decided('Error', `'${provider.run}' exited ${run.exitCode}; a metric with conditions judges the command's output, so it must exit 0`, run.lines);
  const parsed = valueFromText(run.stdout, jsonPath, `the output of '${provider.run}'`);
  if (!parsed.ok) return decided('Error', parsed.message, run.lines);
  return { kind: 'value', value: parsed.value, detail: `output of '${provider.run}'`, lines: run.lines };
}
