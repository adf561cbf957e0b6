import type { CommandProbe, HttpProbe, ProbePort } from '../engine/ports.js';
import { formatDuration } from '../spec/duration.js';
import { runShell } from './local-command.js';

/** A response body is a measurement, not a download. */
const MAX_BODY_CHARS = 256_000;

/** The http and command metrics of an analysis, run from this machine. */
export class LocalProbes implements ProbePort {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async httpGet(url: string, options: { timeoutMs: number; headers: Readonly<Record<string, string>> }, signal?: AbortSignal): Promise<HttpProbe> {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const response = await fetch(url, { signal: combined, redirect: 'manual', headers: { accept: 'application/json, text/plain;q=0.9, */*;q=0.5', ...options.headers } });
      const body = (await response.text()).slice(0, MAX_BODY_CHARS);
      return { kind: 'answered', status: response.status, body };
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      return { kind: 'failed', reason: timeout.aborted ? `GET ${url} did not answer within ${formatDuration(options.timeoutMs)}` : `GET ${url} failed: ${causeText(err)}` };
    }
  }

  runCommand(run: string, options: { timeoutMs: number }, signal?: AbortSignal): Promise<CommandProbe> {
    return runShell(run, { timeoutMs: options.timeoutMs, env: this.env }, signal);
  }
}

function causeText(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}
