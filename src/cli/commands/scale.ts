import { systemClock } from '../../engine/clock.js';
import { scaleService } from '../../engine/scale.js';
import { RolloutError } from '../../spec/errors.js';
import { countOption, durationOption } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { writeLine } from '../io.js';
import { serviceCommand, serviceOptionsHelp } from '../service-command.js';

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const POLL_INTERVAL_MS = 1_000;

const HELP = `Usage: ecs-rollout scale --cluster C --service S --desired-count N [--wait] [options]

Turns a service up or down without deploying: only its desired count
changes (UpdateService desiredCount; no new revision, no new deployment).
With --wait it follows the service until exactly N tasks run.

${serviceOptionsHelp([
  ['--desired-count N', 'how many tasks the service should run (0 stops them all)'],
  ['--wait', 'follow until N tasks run (exit 5 after --timeout)'],
  ['--timeout DURATION', 'with --wait, how long to follow (default 10m)'],
])}

Exit codes: 0 done (or asked, without --wait); 1 AWS-side error; 2 bad input,
nothing changed; 5 --wait timed out (ECS keeps going).`;

export const scaleCommand = serviceCommand({
  name: 'scale',
  summary: "change a service's desired count without deploying",
  help: HELP,
  options: { 'desired-count': { type: 'string' }, wait: { type: 'boolean' }, timeout: { type: 'string' } },
  async act({ ports, target, json, io, flags, switches }) {
    const desiredCount = countOption('desired-count', flags['desired-count']);
    if (desiredCount === undefined) throw new RolloutError('InvalidArguments', 'missing --desired-count N (how many tasks the service should run)');
    const wait = switches.wait === true;
    const timeoutMs = durationOption('timeout', flags.timeout) ?? DEFAULT_TIMEOUT_MS;
    const result = await scaleService(
      ports,
      { ...target, desiredCount, wait, timeoutMs, pollIntervalMs: POLL_INTERVAL_MS },
      systemClock,
      (p) => {
        if (!json) writeLine(io.stdout, `${new Date().toISOString()}  ${p.running} running, ${p.pending} pending of ${p.desired}`);
      },
      io.signal,
    );
    const exitCode = result.outcome === 'timed-out' ? ExitCode.TimedOut : ExitCode.Success;
    if (json) writeLine(io.stdout, JSON.stringify({ ...result, exitCode }));
    else writeLine(io.stdout, result.message);
    return exitCode;
  },
});
