import type { Writable } from 'node:stream';
import { writeLine } from '../io.js';
import type { DeployRenderer } from './renderer.js';

/** One JSON object per line: every event, then a final {"type":"result"} line. */
export function jsonLinesRenderer(stdout: Writable): DeployRenderer {
  return {
    event(event) {
      writeLine(stdout, JSON.stringify(event));
    },
    result(result, exitCode) {
      writeLine(stdout, JSON.stringify({ type: 'result', exitCode, ...result }));
    },
    error(error, exitCode) {
      writeLine(stdout, JSON.stringify({ type: 'result', exitCode, outcome: 'error', error: { code: error.code, kind: error.kind, message: error.message } }));
    },
  };
}
