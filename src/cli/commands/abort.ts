import { abortDeployment } from '../../engine/operator.js';
import { ExitCode } from '../exit-codes.js';
import { writeLine } from '../io.js';
import { serviceCommand } from '../service-command.js';

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

export const abortCommand = serviceCommand({
  name: 'abort',
  summary: "roll back the service's in-progress deployment now",
  help: HELP,
  async act({ ports, target, json, io }) {
    const result = await abortDeployment(ports, target, io.signal);
    if (json) writeLine(io.stdout, JSON.stringify({ ...result, exitCode: ExitCode.Success }));
    else writeLine(io.stdout, result.message);
    return ExitCode.Success;
  },
});
