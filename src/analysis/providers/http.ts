import type { ProbePort } from '../../engine/ports.js';
import type { MetricProvider } from '../../spec/analysis.js';
import { decided, type Reading } from './reading.js';
import { valueFromText } from './value-text.js';

type HttpProvider = Extract<MetricProvider, { kind: 'http' }>;

const MAX_LOGGED_BODY = 500;

/**
 * One GET. A refused or timed-out request, or an answer outside 2xx, is an
 * Error (the check could not say anything about the canary). With no
 * conditions a 2xx answer is Successful; with conditions the body (or the
 * value at jsonPath) is the result they judge.
 */
export async function measureHttp(provider: HttpProvider, probes: ProbePort, hasConditions: boolean, signal: AbortSignal | undefined): Promise<Reading> {
  const probe = await probes.httpGet(provider.url, { timeoutMs: provider.timeoutMs, headers: provider.headers }, signal);
  if (probe.kind === 'failed') return decided('Error', probe.reason);
  const lines = [`GET ${provider.url} -> ${probe.status}`, ...(probe.body.trim() ? [probe.body.trim().slice(0, MAX_LOGGED_BODY)] : [])];
  if (probe.status < 200 || probe.status > 299) return decided('Error', `GET ${provider.url} answered ${probe.status}, not 2xx`, lines);
  const jsonPath = provider.jsonPath && provider.jsonPathText !== undefined ? { steps: provider.jsonPath, text: provider.jsonPathText } : undefined;
  const parsed = valueFromText(probe.body, jsonPath, `the response of GET ${provider.url}`);
  if (!hasConditions) return decided('Successful', `GET ${provider.url} answered ${probe.status}`, lines, parsed.ok ? parsed.value : probe.status);
  if (!parsed.ok) return decided('Error', parsed.message, lines);
  return { kind: 'value', value: parsed.value, detail: `GET ${provider.url} answered ${probe.status}`, lines };
}
