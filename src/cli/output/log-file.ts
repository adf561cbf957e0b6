import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { RolloutError } from '../../spec/errors.js';
import { jsonLinesRenderer } from './json-lines.js';
import type { DeployRenderer } from './renderer.js';

/**
 * The deployment log: every event of a deploy as a JSON line, whatever the
 * terminal shows (gate and analysis output complete, measurements, hook
 * states), then the result. Each line is written synchronously, so a killed
 * CLI loses nothing it had reported.
 */
export interface DeploymentLog {
  path: string;
  renderer: DeployRenderer;
  close(): void;
}

/** Opens (appends to) the log file, creating its folder; a path that cannot be written is a user error, before anything changes. */
export function openDeploymentLog(path: string, cwd: string): DeploymentLog {
  const full = resolve(cwd, path);
  let fd: number;
  try {
    mkdirSync(dirname(full), { recursive: true });
    fd = openSync(full, 'a');
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new RolloutError('InvalidArguments', `--log: cannot write the deployment log ${full} (${why}); pass a path in a folder you can write to`);
  }
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      writeSync(fd, chunk);
      done();
    },
  });
  return { path: full, renderer: jsonLinesRenderer(sink), close: () => closeSync(fd) };
}

/** Shows events on the screen and keeps them in the log. */
export function teeRenderer(screen: DeployRenderer, log: DeployRenderer): DeployRenderer {
  return {
    event(event) {
      log.event(event);
      screen.event(event);
    },
    result(result, exitCode) {
      log.result(result, exitCode);
      screen.result(result, exitCode);
    },
    error(error, exitCode) {
      log.error(error, exitCode);
      screen.error(error, exitCode);
    },
  };
}
