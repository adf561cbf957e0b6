import { readHistory } from '../../engine/history.js';
import { countOption } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { writeLine } from '../io.js';
import { historyLines } from '../output/history-text.js';
import { serviceCommand, serviceOptionsHelp } from '../service-command.js';

const DEFAULT_LIMIT = 20;

const HELP = `Usage: ecs-rollout history --cluster C --service S [--limit N] [--output text|json]

The service's deployments, newest first: when each started, the task
definition revision it deployed, how it ended (succeeded, rolled-back,
stopped, in-progress), the strategy, how long it took, and from the tags
ecs-rollout puts on every revision it registers: the image, the git commit
and who deployed. Read from ListServiceDeployments,
DescribeServiceDeployments, DescribeServiceRevisions and the revisions' tags;
ECS keeps service deployments for 90 days.

${serviceOptionsHelp([['--limit N', `at most N deployments (default ${DEFAULT_LIMIT})`]], 'a table (default) or one JSON object')}`;

export const historyCommand = serviceCommand({
  name: 'history',
  summary: "list a service's deployments: revision, image, commit, who, outcome",
  help: HELP,
  options: { limit: { type: 'string' } },
  async act({ ports, target, json, io, flags, config }) {
    const limit = countOption('limit', flags.limit) ?? DEFAULT_LIMIT;
    const entries = await readHistory(ports, { ...target, codeDeploy: config.strategy?.codeDeploy }, Math.max(1, limit), io.signal);
    if (json) writeLine(io.stdout, JSON.stringify({ cluster: target.cluster, service: target.service, deployments: entries }));
    else for (const line of historyLines(target, entries)) writeLine(io.stdout, line);
    return ExitCode.Success;
  },
});
