import { spawn } from 'node:child_process';
import { functionErrors } from './catalogue.js';
import type { InvocationResult, LocalTarget } from './model.js';

/** Lambda's limit on a synchronous response. */
const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
/** How much of a failing command's stderr its error message keeps. */
const STDERR_TAIL_CHARS = 2000;

export interface RunOptions {
  payload: string;
  /** The function's environment, as Lambda would set it. */
  env: Record<string, string>;
  /** The function's Timeout, in real seconds: its code runs at real speed on this machine. */
  timeoutSeconds: number;
  requestId: string;
  /** Aborted when the emulator closes or the caller gives up. */
  signal: AbortSignal;
}

/** Runs one invocation of a local function: a POST to its URL, or its command with the payload on stdin. */
export function runLocal(target: LocalTarget, options: RunOptions): Promise<InvocationResult> {
  return target.kind === 'url' ? postToUrl(target.url, options) : runCommand(target, options);
}

const failed = (error: object): InvocationResult => ({ kind: 'function-error', payload: JSON.stringify(error) });

async function postToUrl(url: string, options: RunOptions): Promise<InvocationResult> {
  const timeout = AbortSignal.timeout(options.timeoutSeconds * 1000);
  const signal = AbortSignal.any([options.signal, timeout]);
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'lambda-runtime-aws-request-id': options.requestId },
      body: options.payload,
      signal,
    });
    const body = await res.text();
    if (!res.ok) return failed(functionErrors.httpStatus(url, res.status, body));
    if (Buffer.byteLength(body) > MAX_RESPONSE_BYTES) return failed(tooLarge());
    return { kind: 'returned', payload: body };
  } catch (err) {
    if (options.signal.aborted) throw options.signal.reason;
    if (timeout.aborted) return failed(functionErrors.timedOut(options.requestId, options.timeoutSeconds));
    const cause = (err as Error & { cause?: Error }).cause;
    return failed(functionErrors.unreachable(url, cause?.message ?? (err as Error).message));
  }
}

function runCommand(target: Extract<LocalTarget, { kind: 'command' }>, options: RunOptions): Promise<InvocationResult> {
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) return reject(options.signal.reason);
    const [program, ...args] = target.argv;
    const child = spawn(program, args, { cwd: target.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let ending: 'timeout' | 'aborted' | 'too-large' | undefined;
    const kill = (why: NonNullable<typeof ending>): void => {
      ending ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill('timeout'), options.timeoutSeconds * 1000);
    const onAbort = (): void => kill('aborted');
    options.signal.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > MAX_RESPONSE_BYTES) kill('too-large');
      else stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    });
    // A command that exits without reading its stdin must not fail the write.
    child.stdin.on('error', () => {});
    child.stdin.end(options.payload);

    let settled = false;
    const settle = (result: InvocationResult | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    child.on('error', (err) => settle(failed(functionErrors.cannotStart(`cannot run ${program}: ${err.message}`))));
    child.on('close', (code, signal) => {
      if (ending === 'aborted') return settle(options.signal.reason instanceof Error ? options.signal.reason : new Error('invocation aborted'));
      if (ending === 'timeout') return settle(failed(functionErrors.timedOut(options.requestId, options.timeoutSeconds)));
      if (ending === 'too-large') return settle(failed(tooLarge()));
      if (code !== 0) {
        const error = functionErrors.exited(options.requestId, code, signal);
        const detail = stderr.trim();
        return settle(failed(detail ? { ...error, errorMessage: `${error.errorMessage}\n${detail}` } : error));
      }
      settle({ kind: 'returned', payload: Buffer.concat(stdout).toString('utf8') });
    });
  });
}

function tooLarge(): object {
  return {
    errorType: 'Function.ResponseSizeTooLarge',
    errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
  };
}
