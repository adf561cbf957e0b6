import { randomUUID } from 'node:crypto';
import { abortCanary, findAlbCanary } from '../../engine/alb-canary/operator.js';
import { runAlbCanary } from '../../engine/alb-canary/run.js';
import { rollBackInProgress } from '../../engine/operator.js';
import { deploy, type DeployResult } from '../../engine/deploy.js';
import { resumeDeployment } from '../../engine/resume.js';
import { commitFromEnvironment } from '../../engine/release-tags.js';
import { EXECUTORS, resolveAlbCanary, type Executor } from '../../spec/alb-canary.js';
import { RolloutError } from '../../spec/errors.js';
import { countOption } from '../args.js';
import { EXIT_CODE_HELP } from '../exit-codes.js';
import { DEPLOY_OPTIONS as OPTIONS, imageChange, readAppSpec, strategyOption } from '../deploy-options.js';
import { commandArgs, runFollowed, type FollowedContext } from '../followed-command.js';
import type { Command } from '../io.js';
import { operatorName } from '../operator-name.js';

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
  --commit SHA            the git commit being deployed, recorded on the new
                          revision (default: $ECS_ROLLOUT_COMMIT, $GITHUB_SHA,
                          $CI_COMMIT_SHA and other CI variables)
  --skip-verify           check only cluster, service, task definition,
                          container and image; not the roles, secrets, log
                          groups and target groups that ecs-rollout verify
                          checks before every deploy
  --resume                continue the service's deployment in progress that
                          a deploy stopped watching (killed, cancelled with
                          --on-cancel detach, timed out): its gates run at
                          the hooks that wait, and it is followed to its end.
                          Takes no --image or --tag. With --executor alb:
                          the canary recorded on the canary service
  --on-cancel rollback|detach  on SIGINT or SIGTERM (a cancelled CI job): roll
                          the deployment back (default; exit 6) or stop
                          watching and leave ECS to finish it (exit 5)
  --force                 take over the service's deploy lock from another
                          deploy (one that died; see ecs-rollout status)
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

export const deployCommand: Command = {
  name: 'deploy',
  summary: 'deploy a new image to an ECS service and follow the deployment',
  help: HELP,
  async run(args, io) {
    const { values, exit } = commandArgs('deploy', args, OPTIONS, HELP, io);
    if (values === undefined) return exit;
    return runFollowed(io, values, async ({ ports, config, target, timeoutMs, pollIntervalMs, run }) => {
      const { cluster, service } = target;
      if (values.resume) return resume(ports, values, config, target, timeoutMs, pollIntervalMs, run, operatorName(io.env));
      const change = imageChange(values.image, values.tag);
      const desiredCount = countOption('desired-count', values['desired-count']) ?? config.desiredCount;
      const strategy = strategyOption(values.strategy) ?? config.strategy?.type;
      const executor = executorOption(values.executor) ?? config.strategy?.executor ?? 'ecs';
      // Recorded on the new revision as tags, for history and rollback.
      const who = operatorName(io.env);
      const release = { commit: values.commit ?? commitFromEnvironment(io.env), who, deploymentId: randomUUID() };
      const common = { cluster, service, container: values.container ?? config.container, change, timeoutMs, pollIntervalMs, dryRun: values['dry-run'] === true, analysisConfig: config.analysis };
      if (executor === 'alb') {
        if (strategy !== undefined && strategy !== 'canary') throw new RolloutError('InvalidArguments', `--executor alb runs a canary; it cannot run --strategy ${strategy}`);
        return runAlbCanary(ports, { ...common, settings: resolveAlbCanary(config.strategy, values.config ?? 'ecs-rollout.yaml'), who, release }, run);
      }
      const lock = { deploymentId: release.deploymentId, who, force: values.force === true };
      const appSpecFile = await readAppSpec(config.strategy?.codeDeploy?.appSpec, io.cwd ?? process.cwd());
      return deploy(ports, { ...common, desiredCount, strategy, strategyConfig: config.strategy, release, lock, skipVerify: values['skip-verify'] === true, appSpecFile }, run);
    }, async ({ ports, config, target, pollIntervalMs, timeoutMs, run }) => {
      const canary = await findAlbCanary(ports, target, config.strategy?.alb?.canaryService);
      if (canary) return (await abortCanary(ports, canary, { who: operatorName(io.env), clock: run.clock, pollIntervalMs, timeoutMs })).message;
      return rollBackInProgress(ports, { ...target, codeDeploy: config.strategy?.codeDeploy });
    });
  },
};

/** deploy --resume: the tool's own canary from its record, else the service's deployment in progress. */
async function resume(
  ports: FollowedContext['ports'], values: { image?: string | undefined; tag?: string | undefined; container?: string | undefined; executor?: string | undefined; config?: string | undefined; force?: boolean | undefined },
  config: FollowedContext['config'], target: { cluster: string; service: string }, timeoutMs: number, pollIntervalMs: number, run: FollowedContext['run'], who: string,
): Promise<DeployResult> {
  if (values.image !== undefined || values.tag !== undefined) throw new RolloutError('InvalidArguments', '--resume continues the deployment in progress; it takes no --image or --tag');
  const executor = executorOption(values.executor) ?? config.strategy?.executor ?? 'ecs';
  if (executor === 'alb') {
    const canary = await findAlbCanary(ports, target, config.strategy?.alb?.canaryService);
    if (!canary) throw new RolloutError('InvalidArguments', `nothing to resume: no canary of service ${target.service} is recorded (ecs-rollout status shows what runs)`);
    const recorded = await ports.ecs.readTaskDefinition(canary.state.taskDefinition);
    const containers = recorded?.taskDefinition.containerDefinitions ?? [];
    const name = values.container ?? config.container ?? (containers.length === 1 ? containers[0]?.name : undefined);
    const image = containers.find((c) => c.name === name)?.image;
    if (!image || !name) throw new RolloutError('InvalidArguments', `--resume: name the container whose image the canary ${canary.state.taskDefinition} tests (--container; it has ${containers.map((c) => c.name).join(', ') || 'none'})`);
    return runAlbCanary(
      ports,
      { ...target, container: name, change: { image }, timeoutMs, pollIntervalMs, settings: resolveAlbCanary(config.strategy, values.config ?? 'ecs-rollout.yaml'), analysisConfig: config.analysis, who },
      run,
    );
  }
  return resumeDeployment(ports, { ...target, timeoutMs, pollIntervalMs, strategyConfig: config.strategy, analysisConfig: config.analysis, who, force: values.force === true }, run);
}

function executorOption(value: string | undefined): Executor | undefined {
  if (value === undefined) return undefined;
  const found = EXECUTORS.find((name) => name === value);
  if (!found) throw new RolloutError('InvalidArguments', `--executor: expected ecs or alb, got '${value}'`);
  return found;
}
