import { pruneRevisions } from '../../engine/prune.js';
import { taskDefinitionLabel } from '../../engine/revision.js';
import { RolloutError } from '../../spec/errors.js';
import { countOption } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { writeLine } from '../io.js';
import { serviceCommand, serviceOptionsHelp } from '../service-command.js';

const HISTORY_LIMIT = 50;

const HELP = `Usage: ecs-rollout prune --cluster C --service S --keep N [--dry-run] [--output text|json]

Deregisters old revisions of the service's task definition family, keeping
the newest N, and always keeping a revision that a deployment of the service
uses (running, or in a deployment in progress) and the one ecs-rollout
rollback would go back to. Deregistered revisions become INACTIVE: tasks
running them go on, nothing new starts from them.

${serviceOptionsHelp([['--keep N', `how many of the newest revisions to keep (at least 1)`], ['--dry-run', `list what would be deregistered and why the rest stay; change nothing`]])}`;

export const pruneCommand = serviceCommand({
  name: 'prune',
  summary: 'deregister old task definition revisions, never one in use or the rollback target',
  help: HELP,
  options: { keep: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  async act({ ports, target, json, io, flags, switches }) {
    const keep = countOption('keep', flags.keep);
    if (keep === undefined || keep < 1) throw new RolloutError('InvalidArguments', '--keep N is required: how many of the newest revisions to keep (at least 1)');
    const result = await pruneRevisions(ports, { ...target, keep, dryRun: switches['dry-run'] === true, historyLimit: HISTORY_LIMIT }, io.signal);
    if (json) writeLine(io.stdout, JSON.stringify({ ...result, exitCode: ExitCode.Success }));
    else {
      for (const arn of result.deregister) writeLine(io.stdout, `${result.dryRun ? 'would deregister' : 'deregistered'} ${taskDefinitionLabel(arn)}`);
      for (const k of result.kept) writeLine(io.stdout, `kept ${taskDefinitionLabel(k.taskDefinitionArn)}: ${k.why}`);
      writeLine(io.stdout, result.message);
    }
    return ExitCode.Success;
  },
});
