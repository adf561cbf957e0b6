import type { Writable } from 'node:stream';
import type { DeployResult } from '../../engine/deploy.js';
import type { RolloutEvent } from '../../engine/events.js';
import type { RolloutError } from '../../spec/errors.js';

/** Subscribes to a deploy's events and shows them; one per output mode. */
export interface DeployRenderer {
  event(event: RolloutEvent): void;
  result(result: DeployResult, exitCode: number): void;
  /** The command failed before a result: the renderer decides where the message goes. */
  error(error: RolloutError, exitCode: number): void;
}

export type OutputMode = 'text' | 'json';

/**
 * JSON lines when asked; the live view when a person watches a terminal
 * (stdout is a TTY and CI is unset); plain timestamped lines otherwise.
 */
export function outputStyle(mode: OutputMode, stdout: Writable, env: NodeJS.ProcessEnv): 'json' | 'live' | 'plain' {
  if (mode === 'json') return 'json';
  const isTty = (stdout as Writable & { isTTY?: boolean }).isTTY === true;
  return isTty && !env.CI ? 'live' : 'plain';
}
