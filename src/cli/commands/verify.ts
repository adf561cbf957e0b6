import type { EventBody, RolloutEvent } from '../../engine/events.js';
import { verifyRelease } from '../../engine/verify.js';
import { DEPLOY_OPTIONS, imageChange, readAppSpec, strategyOption } from '../deploy-options.js';
import { prepareCodeDeploy } from '../../engine/codedeploy/prepare.js';
import { resolveGates } from '../../spec/strategy.js';
import { analysisBudgets, resolveAnalyses } from '../../spec/analysis.js';
import { commandArgs, runFollowed } from '../followed-command.js';
import type { Command } from '../io.js';

const HELP = `Usage: ecs-rollout verify --cluster C --service S (--image URI | --tag TAG) [deploy's options]

Checks the release that the same deploy command line would make, before
anything changes, and names each problem with the resource and the fix:

  cluster, service and task definition family exist;
  the container exists and the new image is in ECR;
  the task definition's execution role and task role exist (IAM GetRole);
  each secret's valueFrom exists (Secrets Manager DescribeSecret, or SSM
    GetParameters for a parameter name or ARN);
  each awslogs log group exists, or awslogs-create-group is "true";
  each target group of the service exists, and the container maps the port
    the service routes to it.

ecs-rollout deploy runs the same checks first (--skip-verify skips all but
the first two lines). It takes deploy's options, so a pipeline can run
verify with the arguments it will deploy with; the ones about following a
deployment are ignored.

Exit codes: 0 all checks pass; 1 an AWS-side error while checking; 2 a check
failed (every failing check is listed) or bad input.`;

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check everything a release needs (roles, secrets, log groups, target groups, image), change nothing',
  help: HELP,
  async run(args, io) {
    const { values, exit } = commandArgs('verify', args, DEPLOY_OPTIONS, HELP, io);
    if (values === undefined) return exit;
    return runFollowed(io, values, async ({ ports, config, target, run }) => {
      const change = imageChange(values.image, values.tag);
      const started = new Date(run.clock.now()).toISOString();
      const emit = (event: EventBody): void => run.onEvent?.({ ...event, at: new Date(run.clock.now()).toISOString() } as RolloutEvent);
      const findings = await verifyRelease(ports, { ...target, container: values.container ?? config.container, change }, emit, run.signal);
      // A CODE_DEPLOY service: its deployment group, configuration, gates and AppSpec file, as deploy checks them.
      const codeDeploy = findings.service.deploymentController?.type === 'CODE_DEPLOY'
        ? await prepareCodeDeploy(ports, {
          ...target, strategy: strategyOption(values.strategy) ?? config.strategy?.type, strategyConfig: config.strategy,
          appSpecFile: await readAppSpec(config.strategy?.codeDeploy?.appSpec, io.cwd ?? process.cwd()),
        }, resolveGates(config.strategy?.gates, analysisBudgets(resolveAnalyses(config.analysis))), findings.service, emit, run.signal)
        : undefined;
      return {
        outcome: 'planned',
        message: `verified: ${findings.image} in container ${findings.container} can be deployed to service ${target.service} in cluster ${target.cluster}; nothing was changed`,
        ...target,
        container: findings.container,
        image: findings.image,
        strategy: codeDeploy ? `CodeDeploy ${codeDeploy.config.name ?? codeDeploy.group.deploymentConfigName ?? ''}`.trim() : findings.service.deploymentConfiguration?.strategy ?? 'ROLLING',
        previousTaskDefinitionArn: findings.service.taskDefinition ?? '',
        taskDefinitionArn: undefined,
        deploymentId: undefined,
        serviceDeploymentArn: undefined,
        rollbackDeploymentId: undefined,
        reason: undefined,
        serviceEvents: [],
        stoppedTasks: [],
        startedAt: started,
        finishedAt: new Date(run.clock.now()).toISOString(),
      };
    });
  },
};

