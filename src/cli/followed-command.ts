import { createAwsPorts, type AwsPorts } from '../aws/clients.js';
import { stepClockFor } from '../aws/emulator-clock.js';
import { systemClock } from '../engine/clock.js';
import type { DeployResult, RunOptions } from '../engine/deploy.js';
import { parseDuration } from '../spec/duration.js';
import type { ConfigFile } from '../spec/config-file.js';
import { RolloutError } from '../spec/errors.js';
import { durationOption, outputOption, parseCommandArgs, type Options, type Parsed } from './args.js';
import { ExitCode } from './exit-codes.js';
import { writeLine } from './io.js';
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

/** What a cancelled deploy (SIGINT, SIGTERM: a cancelled CI job) does: roll back (default) or leave ECS to finish. */
export type OnCancel = 'rollback' | 'detach';

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
export async function runFollowed(
  io: CliIo,
  flags: FollowedFlags & { 'on-cancel'?: string | undefined },
  act: (ctx: FollowedContext) => Promise<DeployResult>,
  /** Rolls back what `act` started, after a cancel; returns what was done, in a sentence. Undefined: `act` changes nothing (verify). */
  revert?: (ctx: FollowedContext) => Promise<string>,
): Promise<number> {
  let renderer: DeployRenderer = plainRenderer(io.stdout, io.stderr);
  let log: DeploymentLog | undefined;
  const cancel = new AbortController();
  const onSignal = (name: string) => () => cancel.abort(new CancelledError(name));
  const onInt = onSignal('SIGINT');
  const onTerm = onSignal('SIGTERM');
  const onAbort = onSignal('cancelled');
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
    const onCancel = onCancelOption(flags['on-cancel']);
    const ports = createAwsPorts(connection);
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    io.signal?.addEventListener('abort', onAbort, { once: true });
    const shown = renderer;
    // Said once the command starts its work (its first event), not before its input is checked.
    let announced = false;
    const emit = (event: Parameters<DeployRenderer['event']>[0]): void => {
      if (!announced && revert) {
        announced = true;
        shown.event({ at: event.at, type: 'on-cancel', action: onCancel });
      }
      shown.event(event);
    };
    const startedAt = new Date().toISOString();
    try {
      const stepClock = await stepClockFor(connection);
      const ctx: FollowedContext = { ports, config, target, timeoutMs, pollIntervalMs, run: { clock: systemClock, stepClock, signal: cancel.signal, onEvent: emit } };
      let result: DeployResult;
      try {
        result = await act(ctx);
      } catch (err) {
        if (!cancel.signal.aborted) throw err;
        const why = cancel.signal.reason instanceof CancelledError ? cancel.signal.reason.signalName : 'cancelled';
        // The deploy's own signal is spent; what follows must run to its end.
        const done = !revert
          ? 'stopped; nothing had been changed'
          : onCancel === 'rollback'
            ? await revert({ ...ctx, run: { ...ctx.run, signal: undefined } })
            : 'left the deployment to ECS: it goes on (ecs-rollout status shows it; ecs-rollout abort rolls it back)';
        result = cancelledResult(target, startedAt, onCancel, `${why}: ${done}`);
      }
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
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    io.signal?.removeEventListener('abort', onAbort);
    log?.close();
  }
}

/**
 * A command's own arguments: parsed strictly (a bad flag is exit 2 with
 * the message on stderr), and --help shown. Undefined values mean the
 * command is done with `exit`.
 */
export function commandArgs<T extends Options>(
  name: string, args: string[], options: T, help: string, io: CliIo,
): { values: Parsed<T>['values']; exit?: undefined } | { values?: undefined; exit: number } {
  let values: Parsed<T>['values'];
  try {
    values = parseCommandArgs(name, args, options).values;
  } catch (err) {
    const error = asRolloutError(err);
    const exitCode = exitCodeForError(error);
    plainRenderer(io.stdout, io.stderr).error(error, exitCode);
    return { exit: exitCode };
  }
  if ((values as { help?: boolean }).help) {
    writeLine(io.stdout, help);
    return { exit: ExitCode.Success };
  }
  return { values };
}

/** The reason a followed command's signal is aborted with when it is cancelled. */
class CancelledError extends Error {
  constructor(readonly signalName: string) {
    super(`${signalName}: cancelled`);
    this.name = 'AbortError';
  }
}

function onCancelOption(value: string | undefined): OnCancel {
  if (value === undefined || value === 'rollback') return 'rollback';
  if (value === 'detach') return 'detach';
  throw new RolloutError('InvalidArguments', `--on-cancel: expected rollback or detach, got '${value}'`);
}

/** A cancelled run: rolled back (exit 6, as an operator's abort) or left to ECS (exit 5, as a timeout). */
function cancelledResult(target: { cluster: string; service: string }, startedAt: string, onCancel: OnCancel, message: string): DeployResult {
  return {
    outcome: onCancel === 'rollback' ? 'aborted' : 'timed-out',
    message,
    cluster: target.cluster,
    service: target.service,
    container: '',
    image: '',
    strategy: '',
    previousTaskDefinitionArn: '',
    taskDefinitionArn: undefined,
    deploymentId: undefined,
    serviceDeploymentArn: undefined,
    rollbackDeploymentId: undefined,
    reason: message,
    serviceEvents: [],
    stoppedTasks: [],
    startedAt,
    finishedAt: new Date().toISOString(),
  };
}

/** Config durations were validated when the file was read. */
function configDuration(value: string | undefined): number | undefined {
  return value === undefined ? undefined : parseDuration(value);
}
