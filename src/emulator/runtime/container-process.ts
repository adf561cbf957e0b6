import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Clock } from '../clock.js';
import { containerExitCode } from './exit-status.js';
import { LineSplitter } from './output-lines.js';
import { signalGroup, type ProcessReaper } from './process-reaper.js';

/**
 * One program run as a container runs: its own process group (so the whole
 * tree it forks can be signalled), exactly the environment it was given,
 * output read line by line, and everything left in the group killed when the
 * main process exits, as a container's processes die with its PID 1.
 */

export interface ProcessSpec {
  program: string;
  args: string[];
  cwd: string | undefined;
  env: Record<string, string>;
}

export interface ProcessGroup {
  readonly pid: number;
  /** Signals every process in the group. */
  signal(signal: NodeJS.Signals): void;
}

export interface ProcessEvents {
  onSpawn(group: ProcessGroup): void;
  onSpawnError(error: NodeJS.ErrnoException): void;
  /** Absent: output is discarded (health check probes). */
  onLine?: (stream: 'stdout' | 'stderr', line: string) => void;
  /** After the process exited and its output was read to the end. */
  onExit(exitCode: number | undefined): void;
}

export interface ProcessContext {
  clock: Clock;
  reaper: ProcessReaper;
  maxLineLength: number;
}

/**
 * Virtual time allowed for output pipes to close after the main process
 * exited. They stay open only if a process escaped the group (setsid) and
 * kept them; we stop reading rather than wait for it.
 */
const OUTPUT_DRAIN_DEADLINE_MS = 5_000;

export function spawnProcessGroup(spec: ProcessSpec, events: ProcessEvents, context: ProcessContext): void {
  let child;
  try {
    child = spawn(spec.program, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      shell: false,
      stdio: ['ignore', events.onLine ? 'pipe' : 'ignore', events.onLine ? 'pipe' : 'ignore'],
    });
  } catch (err) {
    // Invalid arguments (e.g. a NUL byte in an argument) throw instead of emitting 'error'.
    queueMicrotask(() => events.onSpawnError(err as NodeJS.ErrnoException));
    return;
  }

  let spawned = false;
  let exited = false;
  let cancelDrainDeadline = (): void => {};
  const readers = [read(child.stdout, 'stdout'), read(child.stderr, 'stderr')];

  function read(stream: Readable | null, name: 'stdout' | 'stderr'): LineSplitter | undefined {
    const onLine = events.onLine;
    if (stream === null || onLine === undefined) return undefined;
    const splitter = new LineSplitter(context.maxLineLength, (line) => onLine(name, line));
    stream.on('data', (chunk: Buffer) => splitter.push(chunk));
    stream.on('error', () => {});
    return splitter;
  }

  child.once('spawn', () => {
    spawned = true;
    const pid = child.pid as number;
    context.reaper.add(pid);
    events.onSpawn({ pid, signal: (signal) => signalGroup(pid, signal) });
  });
  child.on('error', (err: NodeJS.ErrnoException) => {
    if (!spawned) events.onSpawnError(err);
    // After a successful spawn, 'error' only reports a failed kill(); the exit still arrives.
  });
  child.once('exit', () => {
    if (!spawned) return;
    exited = true;
    const pid = child.pid as number;
    // A container's processes do not outlive its main process.
    signalGroup(pid, 'SIGKILL');
    context.reaper.remove(pid);
    cancelDrainDeadline = context.clock.after(OUTPUT_DRAIN_DEADLINE_MS, () => {
      child.stdout?.destroy();
      child.stderr?.destroy();
    });
  });
  child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
    if (!spawned || !exited) return;
    cancelDrainDeadline();
    for (const reader of readers) reader?.end();
    events.onExit(containerExitCode(code, signal));
  });
}
