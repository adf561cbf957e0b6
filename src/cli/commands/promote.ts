import { findAlbCanary, promoteCanary } from '../../engine/alb-canary/operator.js';
import { promoteDeployment } from '../../engine/operator.js';
import { RolloutError } from '../../spec/errors.js';
import { ExitCode } from '../exit-codes.js';
import { writeLine } from '../io.js';
import { operatorName } from '../operator-name.js';
import { serviceCommand, serviceOptionsHelp } from '../service-command.js';

const HELP = `Usage: ecs-rollout promote --cluster C --service S [--output text|json]

Continues a paused blue/green, canary or linear deployment now: answers
ContinueServiceDeployment CONTINUE to every PAUSE hook of the service's
in-progress deployment that is AWAITING_ACTION (a gate stage, or a pause
waiting for a person). Works from any terminal or CI job while another
ecs-rollout deploy follows the deployment; that deploy carries on.

What promote cannot skip: a bake. ECS has no API to end a bake time
(bakeTimeInMinutes, canary or linear step bakes) early; during a bake
promote changes nothing, says so and exits 2. Use ecs-rollout abort to go
back to the previous revision instead.

A service with the CODE_DEPLOY deployment controller: ContinueDeployment on
its deployment group's deployment in progress, READY_WAIT when it waits
with test traffic on the new tasks (production shifts), TERMINATION_WAIT
when production is on the new tasks and the original task set waits to be
terminated (it goes now). CodeDeploy has no API to skip a canary or linear
interval: then promote changes nothing and exits 2.

A canary run by ecs-rollout itself (executor alb): passes the step it waits
at, a manual gate (pause: {}) or a timed pause, by recording the promote in
a tag on the canary service; the running deploy sees it and goes on. With
no deploy running, the promote is recorded and you are told to rerun the
same deploy, which resumes and passes that step.

${serviceOptionsHelp()}

Exit codes: 0 continued; 1 AWS-side error; 2 nothing to continue (no
deployment in progress, no hook waiting, or a bake), nothing was changed.`;

export const promoteCommand = serviceCommand({
  name: 'promote',
  summary: 'continue a paused deployment now (answers its waiting PAUSE hooks)',
  help: HELP,
  async act({ ports, target, json, io, config }) {
    const canary = await findAlbCanary(ports, target, config.strategy?.alb?.canaryService, io.signal);
    if (canary) {
      const promoted = await promoteCanary(ports, canary, operatorName(io.env), Date.now(), io.signal);
      const code = promoted.outcome === 'nothing-to-promote' ? ExitCode.BadInput : ExitCode.Success;
      if (json) writeLine(io.stdout, JSON.stringify({ ...promoted, exitCode: code }));
      else writeLine(code === ExitCode.Success ? io.stdout : io.stderr, promoted.message);
      return code;
    }
    if (config.strategy?.executor === 'alb') {
      const where = config.strategy.alb?.canaryService ?? 'its canary service';
      throw new RolloutError('InvalidArguments', `nothing to promote: ${where} records no canary of service ${target.service} under way (ecs-rollout status shows what the services run)`);
    }
    const result = await promoteDeployment(ports, { ...target, codeDeploy: config.strategy?.codeDeploy }, io.signal);
    const exitCode = result.outcome === 'continued' ? ExitCode.Success : ExitCode.BadInput;
    if (json) writeLine(io.stdout, JSON.stringify({ ...result, exitCode }));
    else writeLine(result.outcome === 'continued' ? io.stdout : io.stderr, result.message);
    return exitCode;
  },
});
