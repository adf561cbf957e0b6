import type { DeployOutcome } from '../../engine/deploy.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { jsonLinesRenderer } from './json-lines.js';
import { liveRenderer } from './live.js';
import { plainRenderer } from './plain.js';
import { outputStyle, type DeployRenderer, type OutputMode } from './renderer.js';

/** The exit code of each way a deploy (or a rollback, which is one) ends. */
export const EXIT_BY_OUTCOME: Record<DeployOutcome, number> = {
  succeeded: ExitCode.Success,
  planned: ExitCode.Success,
  'rolled-back': ExitCode.RolledBack,
  failed: ExitCode.FailedNotRolledBack,
  'timed-out': ExitCode.TimedOut,
  aborted: ExitCode.Aborted,
};

/** The renderer for an output mode: JSON lines, the live view on a terminal, plain lines otherwise. */
export function rendererFor(mode: OutputMode, io: CliIo): DeployRenderer {
  switch (outputStyle(mode, io.stdout, io.env)) {
    case 'json':
      return jsonLinesRenderer(io.stdout);
    case 'live':
      return liveRenderer(io.stdout, io.stderr);
    case 'plain':
      return plainRenderer(io.stdout, io.stderr);
  }
}
