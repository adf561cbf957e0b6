import { constants } from 'node:os';

/**
 * The exit code Docker reports for a process: its own code, or 128 + the
 * signal number when a signal ended it (137 for SIGKILL, 143 for SIGTERM).
 */
export function containerExitCode(code: number | null, signal: NodeJS.Signals | null): number | undefined {
  if (code !== null) return code;
  if (signal === null) return undefined;
  const number = constants.signals[signal] as number | undefined;
  return number === undefined ? undefined : 128 + number;
}

/** The ECS reason for a container whose process could not be started, from the spawn error. */
export function cannotStartReason(program: string, error: NodeJS.ErrnoException, cwdExists: boolean): string {
  const prefix = 'CannotStartContainerError: Error response from daemon: failed to create task for container: unable to start container process:';
  if (error.code === 'ENOENT' && !cwdExists) return `${prefix} chdir to cwd set in config.json failed: no such file or directory`;
  if (error.code === 'ENOENT') return `${prefix} exec: "${program}": executable file not found in $PATH`;
  if (error.code === 'EACCES') return `${prefix} exec: "${program}": permission denied`;
  return `${prefix} ${error.message}`;
}
