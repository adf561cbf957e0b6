import { createAwsPorts } from '../../aws/clients.js';
import { abortDeployment } from '../../engine/operator.js';
import { outputOption, parseCommandArgs } from '../args.js';
import { asRolloutError, exitCodeForError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { writeLine, type Command } from '../io.js';
import { serviceTarget } from '../service-target.js';
import { loadSettings } from '../settings.js';

const OPTIONS = {
  cluster: { type: 'string' },
  service: { type: 'string' },
  output: { type: 'string' },
  config: { type: 'string' },
  'endpoint-url': { type: 'string' },
  region: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `Usage: ecs-rollout abort --cluster C --service S [--output text|json]

Rolls the service's in-progress deployment back now: StopServiceDeployment
with stopType ROLLBACK, which ECS accepts in any stage (even when the
deployment was not configured to roll back). Production traffic goes back
to the previous revision; with blue/green, canary and linear it is still
running, so that is near-instant. Works from any terminal or CI job while
another ecs-rollout deploy follows the deployment: that deploy then ends
ABORTED with exit code 6 (a rolling deploy ends rolled back, exit code 3).

Options:
  --cluster NAME        cluster of the service
  --service NAME        the service
  --output text|json    text (default) or one JSON object
  --config FILE         settings file (default ./ecs-rollout.yaml if present)
  --endpoint-url URL    AWS endpoint, e.g. the emulator (default $AWS_ENDPOINT_URL)
  --region REGION       AWS region
  -h, --help            show this help

Exit codes: 0 rollback requested (or already stopping); 1 AWS-side error;
2 no deployment in progress, nothing was changed.`;

export const abortCommand: Command = {
  name: 'abort',
  summary: "roll back the service's in-progress deployment now",
  help: HELP,
  async run(args, io) {
    let json = false;
    try {
      const { values } = parseCommandArgs('abort', args, OPTIONS);
      if (values.help) {
        writeLine(io.stdout, HELP);
        return ExitCode.Success;
      }
      json = outputOption(values.output) === 'json';
      const { config, connection } = await loadSettings(io, values);
      json = (outputOption(values.output) ?? config.output) === 'json';
      const target = serviceTarget(values, config);
      const ports = createAwsPorts(connection);
      try {
        const result = await abortDeployment(ports, target, io.signal);
        if (json) writeLine(io.stdout, JSON.stringify({ ...result, exitCode: ExitCode.Success }));
        else writeLine(io.stdout, result.message);
        return ExitCode.Success;
      } finally {
        ports.close();
      }
    } catch (err) {
      const error = asRolloutError(err);
      const exitCode = exitCodeForError(error);
      if (json) writeLine(io.stdout, JSON.stringify({ outcome: 'error', exitCode, error: { code: error.code, kind: error.kind, message: error.message } }));
      else writeLine(io.stderr, `error: ${error.message}`);
      return exitCode;
    }
  },
};
