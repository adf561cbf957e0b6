import { createAwsPorts } from '../../aws/clients.js';
import { runAlbCanary } from '../../engine/alb-canary/run.js';
import { deploy, type DeployOutcome } from '../../engine/deploy.js';
import { stepClockFor } from '../../aws/emulator-clock.js';
import { systemClock } from '../../engine/clock.js';
import type { ImageChange } from '../../engine/preflight.js';
import { parseDuration } from '../../spec/duration.js';
import { STRATEGY_NAMES, type StrategyName } from '../../spec/strategy.js';
import { EXECUTORS, resolveAlbCanary, type Executor } from '../../spec/alb-canary.js';
import { RolloutError } from '../../spec/errors.js';
import { countOption, durationOption, outputOption, parseCommandArgs } from '../args.js';
import { asRolloutError, exitCodeForError } from '../errors.js';
import { EXIT_CODE_HELP, ExitCode } from '../exit-codes.js';
import { writeLine, type CliIo, type Command } from '../io.js';
import { jsonLinesRenderer } from '../output/json-lines.js';
import { openDeploymentLog, teeRenderer, type DeploymentLog } from '../output/log-file.js';
import { liveRenderer } from '../output/live.js';
import { plainRenderer } from '../output/plain.js';
import { outputStyle, type DeployRenderer, type OutputMode } from '../output/renderer.js';
import { operatorName } from '../operator-name.js';
import { loadSettings } from '../settings.js';

const DEFAULT_TIMEOUT_MS = 15 * 60_000;
/**
 * Against the local emulator every call is free, so we look often and the
 * run ends as soon as ECS does; against AWS, ECS API rate limits (shared by
 * everything in the account) make 5 seconds the polite default.
 */
const LOOPBACK_POLL_INTERVAL_MS = 250;
const AWS_POLL_INTERVAL_MS = 5_000;

const OPTIONS = {
  cluster: { type: 'string' },
  service: { type: 'string' },
  container: { type: 'string' },
  image: { type: 'string' },
  tag: { type: 'string' },
  'desired-count': { type: 'string' },
  timeout: { type: 'string' },
  'poll-interval': { type: 'string' },
  output: { type: 'string' },
  log: { type: 'string' },
  config: { type: 'string' },
  'endpoint-url': { type: 'string' },
  region: { type: 'string' },
  strategy: { type: 'string' },
  executor: { type: 'string' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `Usage: ecs-rollout deploy --cluster C --service S (--image URI | --tag TAG) [options]

Deploys a new image to an ECS service: checks everything first, registers a
new task definition revision with only one container's image changed, updates
the service, and follows that deployment until ECS completes it, fails it or
rolls it back.

Options:
  --cluster NAME          cluster of the service
  --service NAME          service to deploy
  --container NAME        container that gets the new image (required when the
                          task definition has more than one)
  --image URI             the new image, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2
  --tag TAG               keep the current image repository, change only its tag
  --desired-count N       also set the service's desired task count
  --strategy NAME         rolling, blue-green, canary or linear: set the
                          service's ECS deployment strategy in the same
                          update (default: strategy.type in ecs-rollout.yaml,
                          else as the service is configured). Percentages,
                          bakes, listener rules, alarms and gates come from
                          the strategy block of ecs-rollout.yaml
  --executor ecs|alb      who moves the traffic of a canary: ecs (ECS's own
                          CANARY strategy, the default) or alb (ecs-rollout
                          shifts a listener rule's weights between a stable
                          and a canary service; strategy.alb and
                          strategy.steps in ecs-rollout.yaml; default:
                          strategy.executor)
  --timeout DURATION      stop following after this long (default 15m); the
                          deployment keeps going in ECS. With --executor alb:
                          the longest any one wait on AWS may take (canary
                          or stable tasks healthy, weights confirmed); pauses
                          and manual gates are not bounded by it
  --poll-interval DURATION  how often to look (default 250ms against a local
                          endpoint, 5s against AWS to respect API rate limits)
  --output text|json      text (live view on a terminal, lines otherwise) or
                          JSON lines (one event per line, then a result)
  --log FILE              keep the deployment log in FILE (appended): every
                          event as a JSON line, gate and analysis output in
                          full, then the result; whatever --output shows
  --config FILE           settings file (default ./ecs-rollout.yaml if present)
  --endpoint-url URL      AWS endpoint, e.g. the emulator (default $AWS_ENDPOINT_URL)
  --region REGION         AWS region (default $AWS_REGION, $AWS_DEFAULT_REGION, config, us-east-1)
  --dry-run               run the checks and show the revision; change nothing
  -h, --help              show this help

Settings from ecs-rollout.yaml: cluster, service, container, region,
endpointUrl, timeout, pollInterval, desiredCount, output, log, strategy,
analysis. Flags override them. Blue/green, canary and linear are followed
stage by stage; gates (checks, or metric analyses: docs/analysis.md) run at
their PAUSE hooks. From another terminal: ecs-rollout promote continues a
paused deployment, ecs-rollout abort rolls it back.

With --executor alb the canary's state is kept in tags on the canary
service: rerunning the same deploy after an interruption resumes it from the
recorded step; ecs-rollout status explains it; ecs-rollout abort reverts it
even when no deploy is running. See docs/strategies/alb-canary.md.

${EXIT_CODE_HELP}`;

const EXIT_BY_OUTCOME: Record<DeployOutcome, number> = {
  succeeded: ExitCode.Success,
  planned: ExitCode.Success,
  'rolled-back': ExitCode.RolledBack,
  failed: ExitCode.FailedNotRolledBack,
  'timed-out': ExitCode.TimedOut,
  aborted: ExitCode.Aborted,
};

export const deployCommand: Command = {
  name: 'deploy',
  summary: 'deploy a new image to an ECS service and follow the deployment',
  help: HELP,
  async run(args, io) {
    let renderer: DeployRenderer = plainRenderer(io.stdout, io.stderr);
    let log: DeploymentLog | undefined;
    try {
      const { values } = parseCommandArgs('deploy', args, OPTIONS);
      if (values.help) {
        writeLine(io.stdout, HELP);
        return ExitCode.Success;
      }
      const flagOutput = outputOption(values.output);
      if (flagOutput) renderer = rendererFor(flagOutput, io);
      const { config, connection } = await loadSettings(io, values);
      renderer = rendererFor(flagOutput ?? config.output ?? 'text', io);
      const logPath = values.log ?? config.log;
      if (logPath !== undefined) {
        log = openDeploymentLog(logPath, io.cwd ?? process.cwd());
        renderer = teeRenderer(renderer, log.renderer);
      }

      const cluster = values.cluster ?? config.cluster;
      const service = values.service ?? config.service;
      if (!cluster) throw new RolloutError('InvalidArguments', 'missing --cluster (or cluster in ecs-rollout.yaml)');
      if (!service) throw new RolloutError('InvalidArguments', 'missing --service (or service in ecs-rollout.yaml)');
      const change = imageChange(values.image, values.tag);
      const desiredCount = countOption('desired-count', values['desired-count']) ?? config.desiredCount;
      const timeoutMs = durationOption('timeout', values.timeout) ?? configDuration(config.timeout) ?? DEFAULT_TIMEOUT_MS;
      const pollIntervalMs =
        durationOption('poll-interval', values['poll-interval']) ??
        configDuration(config.pollInterval) ??
        (connection.loopback ? LOOPBACK_POLL_INTERVAL_MS : AWS_POLL_INTERVAL_MS);

      const strategy = strategyOption(values.strategy) ?? config.strategy?.type;
      const executor = executorOption(values.executor) ?? config.strategy?.executor ?? 'ecs';
      const ports = createAwsPorts(connection);
      try {
        const stepClock = await stepClockFor(connection);
        if (executor === 'alb') {
          if (strategy !== undefined && strategy !== 'canary') throw new RolloutError('InvalidArguments', `--executor alb runs a canary; it cannot run --strategy ${strategy}`);
          const result = await runAlbCanary(
            ports,
            {
              cluster,
              service,
              container: values.container ?? config.container,
              change,
              timeoutMs,
              pollIntervalMs,
              dryRun: values['dry-run'] === true,
              settings: resolveAlbCanary(config.strategy, values.config ?? 'ecs-rollout.yaml'),
              analysisConfig: config.analysis,
              who: operatorName(io.env),
            },
            { clock: systemClock, stepClock, onEvent: (event) => renderer.event(event) },
          );
          const exitCode = EXIT_BY_OUTCOME[result.outcome];
          renderer.result(result, exitCode);
          return exitCode;
        }
        const result = await deploy(
          ports,
          {
            cluster,
            service,
            container: values.container ?? config.container,
            change,
            desiredCount,
            timeoutMs,
            pollIntervalMs,
            dryRun: values['dry-run'] === true,
            strategy,
            strategyConfig: config.strategy,
            analysisConfig: config.analysis,
          },
          { clock: systemClock, stepClock, onEvent: (event) => renderer.event(event) },
        );
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
  },
};

function rendererFor(mode: OutputMode, io: CliIo): DeployRenderer {
  switch (outputStyle(mode, io.stdout, io.env)) {
    case 'json':
      return jsonLinesRenderer(io.stdout);
    case 'live':
      return liveRenderer(io.stdout, io.stderr);
    case 'plain':
      return plainRenderer(io.stdout, io.stderr);
  }
}

function imageChange(image: string | undefined, tag: string | undefined): ImageChange {
  if (image !== undefined && tag !== undefined) throw new RolloutError('InvalidArguments', 'pass either --image or --tag, not both');
  if (image !== undefined) {
    if (image.trim() === '') throw new RolloutError('InvalidArguments', '--image must not be empty');
    return { image };
  }
  if (tag !== undefined) return { tag };
  throw new RolloutError('InvalidArguments', 'missing the new image: pass --image URI or --tag TAG');
}

/** Config durations were validated when the file was read. */
function configDuration(value: string | undefined): number | undefined {
  return value === undefined ? undefined : parseDuration(value);
}

function executorOption(value: string | undefined): Executor | undefined {
  if (value === undefined) return undefined;
  const found = EXECUTORS.find((name) => name === value);
  if (!found) throw new RolloutError('InvalidArguments', `--executor: expected ecs or alb, got '${value}'`);
  return found;
}

function strategyOption(value: string | undefined): StrategyName | undefined {
  if (value === undefined) return undefined;
  const found = STRATEGY_NAMES.find((name) => name === value);
  if (!found) throw new RolloutError('InvalidArguments', `--strategy: expected one of ${STRATEGY_NAMES.join(', ')}, got '${value}'`);
  return found;
}
