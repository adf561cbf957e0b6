import type { GateAttempt, GateCheckPort } from '../engine/ports.js';
import { formatDuration } from '../spec/duration.js';
import type { GateCheck } from '../spec/strategy.js';
import { runShell } from './local-command.js';

/** Output kept per attempt: enough to see why a smoke test failed, not a whole log. */
const MAX_LINES = 200;
const MAX_BODY_CHARS = 4000;

/**
 * Gate checks on this machine: HTTP with fetch, commands with /bin/sh -c in
 * their own process group (so a timeout stops the whole pipeline). Every
 * failure, the timeout included, is a failed attempt, never a throw, except
 * the deployment's own abort.
 */
export class LocalGateChecks implements GateCheckPort {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  attempt(check: GateCheck, signal?: AbortSignal): Promise<GateAttempt> {
    return check.kind === 'http' ? this.http(check, signal) : this.command(check, signal);
  }

  private async http(check: Extract<GateCheck, { kind: 'http' }>, signal: AbortSignal | undefined): Promise<GateAttempt> {
    const timeout = AbortSignal.timeout(check.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const response = await fetch(check.url, { signal: combined, redirect: 'manual' });
      const body = (await response.text()).slice(0, MAX_BODY_CHARS);
      const lines = [`GET ${check.url} -> ${response.status}`, ...lastLines(body)];
      const ok = response.status === check.expectStatus;
      return { ok, summary: ok ? `HTTP ${response.status}` : `GET ${check.url} answered ${response.status}, expected ${check.expectStatus}`, lines };
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      const summary = timeout.aborted ? `GET ${check.url} did not answer within ${formatDuration(check.timeoutMs)}` : `GET ${check.url} failed: ${causeText(err)}`;
      return { ok: false, summary, lines: [summary] };
    }
  }

  private async command(check: Extract<GateCheck, { kind: 'command' }>, signal: AbortSignal | undefined): Promise<GateAttempt> {
    const run = await runShell(check.run, { timeoutMs: check.timeoutMs, env: this.env }, signal);
    if (run.kind === 'failed') return { ok: false, summary: run.reason, lines: run.lines };
    if (run.exitCode === 0) return { ok: true, summary: 'exit 0', lines: run.lines };
    return { ok: false, summary: `'${check.run}' exited ${run.exitCode}`, lines: run.lines };
  }
}

function lastLines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '').slice(-MAX_LINES);
}

function causeText(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}
