import { randomUUID } from 'node:crypto';
import { rollback } from '../../engine/rollback.js';
import { rollBackInProgress } from '../../engine/operator.js';
import { operatorName } from '../operator-name.js';
import { countOption } from '../args.js';
import { EXIT_CODE_HELP } from '../exit-codes.js';
import { commandArgs, runFollowed } from '../followed-command.js';
import type { Command } from '../io.js';

const DEFAULT_HISTORY = 50;

const OPTIONS = {
  cluster: { type: 'string' },
  service: { type: 'string' },
  to: { type: 'string' },
  container: { type: 'string' },
  limit: { type: 'string' },
  timeout: { type: 'string' },
  'poll-interval': { type: 'string' },
  output: { type: 'string' },
  log: { type: 'string' },
  config: { type: 'string' },
  'endpoint-url': { type: 'string' },
  region: { type: 'string' },
  'dry-run': { type: 'boolean' },
  force: { type: 'boolean' },
  'on-cancel': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `Usage: ecs-rollout rollback --cluster C --service S [--to REVISION|TAG|COMMIT] [options]

Puts the service back on a release that worked, and follows that like a
deploy.

- A deployment still in progress is stopped with StopServiceDeployment
  ROLLBACK, and followed until ECS has rolled it back.
- Otherwise the target is the last revision that completed a deployment and
  is not the one running now: a revision that was deployed but rolled back
  or stopped never ran for real and is skipped (not "the previous revision",
  which may never have worked). --to chooses another: a revision (web:12 or
  12), an image tag (1.4.2) or a git commit (at least 7 characters), as
  ecs-rollout history shows them; it must have completed a deployment.
- The target revision is deployed again as it is (nothing is registered),
  through the service's own strategy and the strategy block of
  ecs-rollout.yaml (its gates run too); its image is checked in ECR first.

Options:
  --cluster NAME          cluster of the service
  --service NAME          the service
  --to REVISION|TAG|COMMIT  the release to go back to
  --container NAME        the container whose image tells releases apart
                          (default: the one that differs)
  --limit N               how many deployments back to look (default ${DEFAULT_HISTORY})
  --timeout DURATION      stop following after this long (default 15m)
  --poll-interval DURATION  how often to look (default 250ms locally, 5s on AWS)
  --output text|json      as for deploy
  --log FILE              keep the deployment log in FILE, as for deploy
  --config FILE           settings file (default ./ecs-rollout.yaml if present)
  --endpoint-url URL      AWS endpoint, e.g. the emulator (default $AWS_ENDPOINT_URL)
  --region REGION         AWS region
  --dry-run               say what would be rolled back to; change nothing
  --force                 take over the service's deploy lock (as for deploy)
  --on-cancel rollback|detach  on SIGINT or SIGTERM, as for deploy
  -h, --help              show this help

${EXIT_CODE_HELP}
Here 0 means the service is back on the chosen release.`;

export const rollbackCommand: Command = {
  name: 'rollback',
  summary: 'go back to the last release that worked (or --to one), and follow it',
  help: HELP,
  async run(args, io) {
    const { values, exit } = commandArgs('rollback', args, OPTIONS, HELP, io);
    if (values === undefined) return exit;
    return runFollowed(io, values, ({ ports, config, target, timeoutMs, pollIntervalMs, run }) =>
      rollback(
        ports,
        {
          ...target,
          to: values.to,
          container: values.container ?? config.container,
          timeoutMs,
          pollIntervalMs,
          dryRun: values['dry-run'] === true,
          historyLimit: countOption('limit', values.limit) ?? DEFAULT_HISTORY,
          strategyConfig: config.strategy,
          analysisConfig: config.analysis,
          lock: { deploymentId: randomUUID(), who: operatorName(io.env), force: values.force === true },
        },
        run,
      ),
      ({ ports, target }) => rollBackInProgress(ports, target),
    );
  },
};
