import type { Writable } from 'node:stream';
import { writeLine } from '../io.js';
import { describeEvent } from './describe.js';
import type { DeployRenderer } from './renderer.js';
import { resultLines } from './result-text.js';

/** Timestamped lines, one per event: for CI logs and pipes. */
export function plainRenderer(stdout: Writable, stderr: Writable): DeployRenderer {
  return {
    event(event) {
      writeLine(stdout, `${event.at}  ${describeEvent(event)}`);
    },
    result(result) {
      for (const line of resultLines(result)) writeLine(stdout, line);
    },
    error(error) {
      writeLine(stderr, `error: ${error.message}`);
    },
  };
}
