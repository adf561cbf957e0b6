import { findAlbCanary, getCanaryStatus } from '../../engine/alb-canary/operator.js';
import { getServiceStatus, type ServiceStatus } from '../../engine/status.js';
import { taskDefinitionLabel } from '../../engine/revision.js';
import { ExitCode } from '../exit-codes.js';
import { writeLine } from '../io.js';
import { canaryStatusLines } from '../output/alb-canary-text.js';
import { codeDeployStatusLines } from '../output/codedeploy-text.js';
import { serviceDeploymentLines } from '../output/service-deployment-text.js';
import { serviceCommand, serviceOptionsHelp } from '../service-command.js';

const HELP = `Usage: ecs-rollout status --cluster C --service S [--output text|json]

Shows what an ECS service is doing: its deployments (id, status, task
definition, rollout state, task counts, reason), its service deployments when
the endpoint offers them, and its recent events. For the service deployment
in progress (else the latest one): strategy, lifecycle stage, production and
test traffic weight per revision (named by task definition), lifecycle hooks
and their states; a PAUSE hook AWAITING_ACTION names the command that
resolves it (ecs-rollout promote to continue, ecs-rollout abort to roll back).

A service with the CODE_DEPLOY deployment controller: its CodeDeploy
deployment group and newest deployment, with each lifecycle event's status,
the task sets' tasks and production traffic, and what ecs-rollout promote or
abort would do now.

A canary run by ecs-rollout itself (executor alb) is found from the tags on
the service (or on strategy.alb.canaryService): its step, the weights the
load balancer shows, whether a deploy is running it, and what to run next.

${serviceOptionsHelp()}`;

export const statusCommand = serviceCommand({
  name: 'status',
  summary: "show a service's deployments and recent events",
  help: HELP,
  async act({ ports, target, json, io, config }) {
    const found = await findAlbCanary(ports, target, config.strategy?.alb?.canaryService, io.signal);
    const canary = found ? await getCanaryStatus(ports, found, Date.now(), io.signal) : undefined;
    const status = await getServiceStatus(ports, { ...target, codeDeploy: config.strategy?.codeDeploy }, io.signal);
    if (json) writeLine(io.stdout, JSON.stringify(canary ? { ...status, canary } : status));
    else for (const line of [...(canary ? canaryStatusLines(canary, target) : []), ...statusLines(status)]) writeLine(io.stdout, line);
    return ExitCode.Success;
  },
});

export function statusLines(status: ServiceStatus): string[] {
  const lines = [
    `service ${status.service} in cluster ${status.cluster}: ${status.status}, task definition ${taskDefinitionLabel(status.taskDefinitionArn)}, ${status.runningCount}/${status.desiredCount} running, ${status.pendingCount} pending`,
    'deployments:',
  ];
  for (const d of status.deployments) {
    lines.push(`  ${d.id}  ${d.status}  ${taskDefinitionLabel(d.taskDefinitionArn)}  ${d.rolloutState ?? '-'}  running ${d.running}/${d.desired}, pending ${d.pending}, failed ${d.failed}${d.reason ? `  ${d.reason}` : ''}`);
  }
  if (status.serviceDeployments) {
    lines.push(status.serviceDeployments.length ? 'service deployments:' : 'service deployments: none');
    for (const d of status.serviceDeployments) {
      lines.push(`  ${d.arn.slice(d.arn.lastIndexOf('/') + 1)}  ${d.status ?? '-'}  created ${d.createdAt ?? '-'}${d.finishedAt ? `, finished ${d.finishedAt}` : ''}${d.reason ? `  ${d.reason}` : ''}`);
    }
  }
  if (status.serviceDeployment) lines.push(...serviceDeploymentLines(status.serviceDeployment, status));
  if (status.codeDeploy) lines.push(...codeDeployStatusLines(status.codeDeploy, status));
  if (status.lock) {
    const { lock } = status;
    lines.push(
      lock.expired
        ? `deploy lock: left by ${lock.who} (deployment ${lock.deploymentId}, since ${lock.since}); it expired at ${lock.expires}, so the next deploy takes it`
        : `deploy lock: held by ${lock.who} since ${lock.since} (deployment ${lock.deploymentId}); expires at ${lock.expires}; a dead deploy's lock can be taken over with deploy --force`,
    );
  }
  lines.push(status.events.length ? 'recent events:' : 'recent events: none');
  for (const e of status.events) lines.push(`  ${e.createdAt}  ${e.message}`);
  return lines;
}
