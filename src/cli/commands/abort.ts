import { abortCanary, findAlbCanary } from '../../engine/alb-canary/operator.js';
import { systemClock } from '../../engine/clock.js';
import { abortDeployment } from '../../engine/operator.js';
import { RolloutError } from '../../spec/errors.js';
import { ExitCode } from '../exit-codes.js';
import { writeLine } from '../io.js';
import { operatorName } from '../operator-name.js';
import { serviceCommand, serviceOptionsHelp } from '../service-command.js';

const HELP = `Usage: ecs-rollout abort --cluster C --service S [--output text|json]

Rolls the service's in-progress deployment back now: StopServiceDeployment
with stopType ROLLBACK, which ECS accepts in any stage (even when the
deployment was not configured to roll back). Production traffic goes back
to the previous revision; with blue/green, canary and linear it is still
running, so that is near-instant. Works from any terminal or CI job while
another ecs-rollout deploy follows the deployment: that deploy then ends
ABORTED with exit code 6 (a rolling deploy ends rolled back, exit code 3).

A service with the CODE_DEPLOY deployment controller: StopDeployment with
autoRollbackEnabled on its deployment group's deployment in progress;
CodeDeploy puts production and test traffic back on the original task set
(a rollback CodeDeploy is already running is left to finish).

A canary run by ecs-rollout itself (executor alb): sends all traffic back to
the stable service in one change of the listener's weights, confirmed by
reading them back, then scales the canary service to 0 (and puts the
stable back on its previous revision if it had begun to take the new one).
This works even when no deploy is running; a running deploy sees the abort
recorded on the canary service and ends with exit code 6.

${serviceOptionsHelp()}

Exit codes: 0 rollback requested (or already stopping); 1 AWS-side error;
2 no deployment in progress, nothing was changed.`;

/** How often, and how long, abort reads the listener back until it shows the weights it set. */
const CONFIRM_POLL_MS = 500;
const CONFIRM_TIMEOUT_MS = 60_000;

export const abortCommand = serviceCommand({
  name: 'abort',
  summary: "roll back the service's in-progress deployment now",
  help: HELP,
  async act({ ports, target, json, io, config }) {
    const canary = await findAlbCanary(ports, target, config.strategy?.alb?.canaryService, io.signal);
    if (canary) {
      const options = { who: operatorName(io.env), clock: systemClock, pollIntervalMs: CONFIRM_POLL_MS, timeoutMs: CONFIRM_TIMEOUT_MS };
      const aborted = await abortCanary(ports, canary, options, io.signal);
      if (json) writeLine(io.stdout, JSON.stringify({ ...aborted, exitCode: ExitCode.Success }));
      else writeLine(io.stdout, aborted.message);
      return ExitCode.Success;
    }
    if (config.strategy?.executor === 'alb') {
      const where = config.strategy.alb?.canaryService ?? 'its canary service';
      throw new RolloutError('InvalidArguments', `nothing to abort: ${where} records no canary of service ${target.service} under way (ecs-rollout status shows what the services run)`);
    }
    const result = await abortDeployment(ports, { ...target, codeDeploy: config.strategy?.codeDeploy }, io.signal);
    if (json) writeLine(io.stdout, JSON.stringify({ ...result, exitCode: ExitCode.Success }));
    else writeLine(io.stdout, result.message);
    return ExitCode.Success;
  },
});
