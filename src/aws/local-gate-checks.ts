import { spawn } from 'node:child_process';
import type { GateAttempt, GateCheckPort } from '../engine/ports.js';
import { formatDuration } from '../spec/duration.js';
import type { GateCheck } from '../spec/strategy.js';

/** Output kept per attempt: enough to see why a smoke test failed, not a whole log. */
const MAX_LINES = 200;
const MAX_BODY_CHARS = 4000;
/** After SIGTERM at the timeout, a command gets this long to exit before SIGKILL. */
const KILL_GRACE_MS = 2000;

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

  private command(check: Extract<GateCheck, { kind: 'command' }>, signal: AbortSignal | undefined): Promise<GateAttempt> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const child = spawn('/bin/sh', ['-c', check.run], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      const output: string[] = [];
      let partial = '';
      const collect = (chunk: Buffer): void => {
        const parts = (partial + chunk.toString('utf8')).split('\n');
        partial = parts.pop() ?? '';
        output.push(...parts);
        if (output.length > MAX_LINES) output.splice(0, output.length - MAX_LINES);
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      let timedOut = false;
      let killTimer: NodeJS.Timeout | undefined;
      const stop = (): void => {
        killGroup(child.pid, 'SIGTERM');
        killTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
      };
      const timer = setTimeout(() => {
        timedOut = true;
        stop();
      }, check.timeoutMs);
      const onAbort = (): void => stop();
      signal?.addEventListener('abort', onAbort, { once: true });
      const finish = (attempt: GateAttempt | undefined, error?: unknown): void => {
        clearTimeout(timer);
        clearTimeout(killTimer);
        signal?.removeEventListener('abort', onAbort);
        if (signal?.aborted) return reject(signal.reason);
        if (error !== undefined) return resolve({ ok: false, summary: `could not run '${check.run}': ${causeText(error)}`, lines: [] });
        if (attempt) resolve(attempt);
      };
      child.on('error', (err) => finish(undefined, err));
      child.on('close', (code, killedBy) => {
        if (partial) output.push(partial);
        const lines = output.filter((l) => l.trim() !== '');
        if (timedOut) return finish({ ok: false, summary: `'${check.run}' did not finish within ${formatDuration(check.timeoutMs)}`, lines });
        if (code === 0) return finish({ ok: true, summary: 'exit 0', lines });
        finish({ ok: false, summary: `'${check.run}' ${killedBy ? `was killed by ${killedBy}` : `exited ${code}`}`, lines });
      });
    });
  }
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
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
