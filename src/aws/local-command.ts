import { spawn } from 'node:child_process';
import { formatDuration } from '../spec/duration.js';

/** Output kept per run: enough to see why a check failed, not a whole log. */
const MAX_LINES = 200;
const MAX_STDOUT_CHARS = 64_000;
/** After SIGTERM at the timeout, a command gets this long to exit before SIGKILL. */
const KILL_GRACE_MS = 2000;

export type ShellRun =
  | { kind: 'exited'; exitCode: number; stdout: string; lines: string[] }
  | { kind: 'failed'; reason: string; lines: string[] };

/**
 * Runs `command` with /bin/sh -c in its own process group (a timeout stops
 * the whole pipeline: SIGTERM, then SIGKILL after a grace). stdout is kept
 * whole (it is the measurement); stdout and stderr lines both go to `lines`
 * for the deployment log. Rejects only with the caller's abort.
 */
export function runShell(command: string, options: { timeoutMs: number; env: NodeJS.ProcessEnv }, signal?: AbortSignal): Promise<ShellRun> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const child = spawn('/bin/sh', ['-c', command], { env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const lines: string[] = [];
    let stdout = '';
    const partial = { out: '', err: '' };
    const collect = (stream: 'out' | 'err') => (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      if (stream === 'out' && stdout.length < MAX_STDOUT_CHARS) stdout += text.slice(0, MAX_STDOUT_CHARS - stdout.length);
      const parts = (partial[stream] + text).split('\n');
      partial[stream] = parts.pop() ?? '';
      lines.push(...parts);
      if (lines.length > MAX_LINES) lines.splice(0, lines.length - MAX_LINES);
    };
    child.stdout.on('data', collect('out'));
    child.stderr.on('data', collect('err'));
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (): void => {
      killGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    signal?.addEventListener('abort', stop, { once: true });
    const finish = (run: ShellRun): void => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      signal?.removeEventListener('abort', stop);
      if (signal?.aborted) return reject(signal.reason);
      resolve(run);
    };
    child.on('error', (err) => finish({ kind: 'failed', reason: `could not run '${command}': ${err.message}`, lines: [] }));
    child.on('close', (code, killedBy) => {
      for (const rest of [partial.out, partial.err]) if (rest) lines.push(rest);
      const kept = lines.filter((l) => l.trim() !== '');
      if (timedOut) return finish({ kind: 'failed', reason: `'${command}' did not finish within ${formatDuration(options.timeoutMs)}`, lines: kept });
      if (code === null) return finish({ kind: 'failed', reason: `'${command}' was killed by ${killedBy ?? 'a signal'}`, lines: kept });
      finish({ kind: 'exited', exitCode: code, stdout, lines: kept });
    });
  });
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
