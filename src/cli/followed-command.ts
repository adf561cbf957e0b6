import { createAwsPorts, type AwsPorts } from '../aws/clients.js';
import { stepClockFor } from '../aws/emulator-clock.js';
import { systemClock } from '../engine/clock.js';
import type { DeployResult, RunOptions } from '../engine/deploy.js';
import { parseDuration } from '../spec/duration.js';
import type { ConfigFile } from '../spec/config-file.js';
import { durationOption, outputOption } from './args.js';
import { asRolloutError, exitCodeForError } from './errors.js';
import type { CliIo } from './io.js';
import { EXIT_BY_OUTCOME, rendererFor } from './output/deploy-output.js';
import { openDeploymentLog, type DeploymentLog } from './output/log-file.js';
import { teeRenderer } from './output/log-file.js';
import { plainRenderer } from './output/plain.js';
import type { DeployRenderer } from './output/renderer.js';
import { loadSettings } from './settings.js';
import { serviceTarget } from './service-target.js';

const DEFAULT_TIMEOUT_MS = 15 * 60_000;
/**
 * Against the local emulator every call is free, so we look often and the
 * run ends as soon as ECS does; against AWS, ECS API rate limits (shared by
 * everything in the account) make 5 seconds the polite default.
 */
const LOOPBACK_POLL_INTERVAL_MS = 250;
const AWS_POLL_INTERVAL_MS = 5_000;

/** The flags every command that starts and follows a deployment shares (deploy, rollback). */
export interface FollowedFlags {
  cluster?: string | undefined;
  service?: string | undefined;
  output?: string | undefined;
  log?: string | undefined;
  timeout?: string | undefined;
  'poll-interval'?: string | undefined;
  config?: string | undefined;
  'endpoint-url'?: string | undefined;
  region?: string | undefined;
}

export interface FollowedContext {
  ports: AwsPorts;
  config: ConfigFile;
  target: { cluster: string; service: string };
  timeoutMs: number;
  pollIntervalMs: number;
  run: RunOptions;
}

/**
 * Runs a command that starts a deployment and follows it: output as the
 * flags and file say (live view, plain lines or JSON lines, and the
 * deployment log), settings, AWS clients, and the result's exit code; any
 * error is rendered where the output goes, with its exit code.
 */
export async function runFollowed(io: CliIo, flags: FollowedFlags, act: (ctx: FollowedContext) => Promise<DeployResult>): Promise<number> {
  let renderer: DeployRenderer = plainRenderer(io.stdout, io.stderr);
  let log: DeploymentLog | undefined;
  try {
    const flagOutput = outputOption(flags.output);
    if (flagOutput) renderer = rendererFor(flagOutput, io);
    const { config, connection } = await loadSettings(io, flags);
    renderer = rendererFor(flagOutput ?? config.output ?? 'text', io);
    const logPath = flags.log ?? config.log;
    if (logPath !== undefined) {
      log = openDeploymentLog(logPath, io.cwd ?? process.cwd());
      renderer = teeRenderer(renderer, log.renderer);
    }
    const target = serviceTarget(flags, config);
    const timeoutMs = durationOption('timeout', flags.timeout) ?? configDuration(config.timeout) ?? DEFAULT_TIMEOUT_MS;
    const pollIntervalMs =
      durationOption('poll-interval', flags['poll-interval']) ?? configDuration(config.pollInterval) ?? (connection.loopback ? LOOPBACK_POLL_INTERVAL_MS : AWS_POLL_INTERVAL_MS);
    const ports = createAwsPorts(connection);
    try {
      const stepClock = await stepClockFor(connection);
      const shown = renderer;
      const result = await act({ ports, config, target, timeoutMs, pollIntervalMs, run: { clock: systemClock, stepClock, onEvent: (event) => shown.event(event) } });
      const exitCode = EXIT_BY_OUTCOME[result.outcome];
      renderer.result(result, exitCode);
      return exitCode;
    } finally {
      ports.close();
    }
  } catch (err) {
    const error = asRolloutError(err);
    const exitCode = exitCodeForError(error);
    renderer.error(error, exitCode);
    return exitCode;
  } finally {
    log?.close();
  }
}

/** Config durations were validated when the file was read. */
function configDuration(value: string | undefined): number | undefined {
  return value === undefined ? undefined : parseDuration(value);
}
