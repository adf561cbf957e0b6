import { diagnoseService } from '../../engine/diagnose.js';
import { ExitCode } from '../exit-codes.js';
import { writeLine } from '../io.js';
import { diagnosisLines } from '../output/failure-text.js';
import { serviceCommand, serviceOptionsHelp } from '../service-command.js';

const HELP = `Usage: ecs-rollout diagnose --cluster C --service S [--output text|json]

Why the service's latest deployment stands as it does, without the console:
its revision, status and ECS's reason; the service events since it started;
each stopped task with its stoppedReason, stopCode and every container's
exit code and reason; the targets its load balancer finds not healthy, with
ELB's reason; and the last lines the failing containers wrote, read from
CloudWatch Logs where they use the awslogs driver. A failed deploy prints
the same after its verdict.

${serviceOptionsHelp()}`;

export const diagnoseCommand = serviceCommand({
  name: 'diagnose',
  summary: "explain the latest deployment: events, stopped tasks, health checks, container logs",
  help: HELP,
  async act({ ports, target, json, io }) {
    const diagnosis = await diagnoseService(ports, target, io.signal);
    if (json) writeLine(io.stdout, JSON.stringify(diagnosis));
    else for (const line of diagnosisLines(diagnosis)) writeLine(io.stdout, line);
    return ExitCode.Success;
  },
});
