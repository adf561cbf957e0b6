import { CreateFunctionCommand, DeleteFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { LOCAL_COMMAND_VARIABLE, LOCAL_CWD_VARIABLE, LOCAL_URL_VARIABLE } from '../../emulator/services/lambda/local-target.js';
import { clientConfig } from '../../aws/clients.js';
import { describeCause, RolloutError } from '../../spec/errors.js';
import { parseCommandArgs, splitAtCommand } from '../args.js';
import { asRolloutError, exitCodeForError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { writeLine, type Command } from '../io.js';
import { loadSettings } from '../settings.js';
import { DEFAULT_EMULATOR_ENDPOINT, EMULATOR_DEFAULT_ACCOUNT } from './emulator-endpoint.js';

const OPTIONS = {
  url: { type: 'string' },
  'endpoint-url': { type: 'string' },
  region: { type: 'string' },
  config: { type: 'string' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `Usage: ecs-rollout emulator lambda NAME --url URL [--endpoint-url URL]
       ecs-rollout emulator lambda NAME [--endpoint-url URL] -- COMMAND [ARGS...]

Creates (or replaces) the Lambda function NAME in the emulator, run locally:
with --url, each invocation POSTs the payload (JSON) to URL and the response
body is the function's result; with a COMMAND, each invocation runs it (in the
current directory) with the payload on stdin, and its stdout is the result (a
non-zero exit is a function error). Prints the function ARN, the value for an
AWS_LAMBDA lifecycle hook's hookTargetArn.

Options:
  --url URL             POST each invocation's payload to URL
  --timeout SECONDS     the function's timeout (default 3, as Lambda's; real seconds)
  --endpoint-url URL    the emulator (default $AWS_ENDPOINT_URL, config, ${DEFAULT_EMULATOR_ENDPOINT})
  --region REGION       the function's region (default $AWS_REGION, us-east-1)
  -h, --help            show this help

Examples:
  ecs-rollout emulator lambda smoke-test -- node hooks/smoke-test.js
  ecs-rollout emulator lambda approve --url http://127.0.0.1:9000/hook`;

/** The IAM role a local function is created with: the emulator stores it and checks nothing. */
const LOCAL_ROLE = (account: string): string => `arn:aws:iam::${account}:role/ecs-rollout-local-function`;

export const emulatorLambdaCommand: Command = {
  name: 'emulator lambda',
  summary: 'create a Lambda function in the emulator that runs a local command or URL',
  help: HELP,
  async run(args, io) {
    try {
      const { own, command } = splitAtCommand(args);
      const { values, positionals } = parseCommandArgs('emulator lambda', own, OPTIONS, true);
      if (values.help) {
        writeLine(io.stdout, HELP);
        return ExitCode.Success;
      }
      const [name, ...extra] = positionals;
      if (!name) throw new RolloutError('InvalidArguments', 'missing NAME: ecs-rollout emulator lambda NAME (--url URL | -- COMMAND [ARGS...])');
      if (!/^[a-zA-Z0-9_-]{1,64}$/.test(name)) throw new RolloutError('InvalidArguments', `${name}: a function name is 1-64 letters, digits, hyphens and underscores`);
      if (extra.length) throw new RolloutError('InvalidArguments', `unexpected arguments before --: ${extra.join(' ')}; put the command after --`);
      if ((values.url === undefined) === (command.length === 0)) {
        throw new RolloutError('InvalidArguments', 'give exactly one of --url URL or -- COMMAND [ARGS...]');
      }
      const timeout = values.timeout === undefined ? 3 : Number(values.timeout);
      if (!Number.isInteger(timeout) || timeout < 1 || timeout > 900) {
        throw new RolloutError('InvalidArguments', `--timeout: expected whole seconds from 1 to 900, got '${values.timeout}'`);
      }

      const { connection } = await loadSettings(io, values, DEFAULT_EMULATOR_ENDPOINT);
      const variables: Record<string, string> = values.url !== undefined
        ? { [LOCAL_URL_VARIABLE]: values.url }
        : { [LOCAL_COMMAND_VARIABLE]: JSON.stringify(command), [LOCAL_CWD_VARIABLE]: io.cwd ?? process.cwd() };
      const keyId = connection.credentials?.accessKeyId ?? io.env.AWS_ACCESS_KEY_ID;
      const account = keyId && /^\d{12}$/.test(keyId) ? keyId : EMULATOR_DEFAULT_ACCOUNT;
      const lambda = new LambdaClient(clientConfig(connection));
      let arn: string | undefined;
      try {
        // Replacing is delete + create: the emulator keeps no versions, so nothing else is lost.
        await lambda.send(new DeleteFunctionCommand({ FunctionName: name })).catch((err: unknown) => {
          if (!(err instanceof Error && err.name === 'ResourceNotFoundException')) throw err;
        });
        const created = await lambda.send(new CreateFunctionCommand({
          FunctionName: name,
          Role: LOCAL_ROLE(account),
          Runtime: 'provided.al2023',
          Handler: 'local',
          Code: { ZipFile: new Uint8Array() },
          Timeout: timeout,
          Environment: { Variables: variables },
        }));
        arn = created.FunctionArn;
      } catch (err) {
        throw new RolloutError('AwsRequestFailed', `failed to create function ${name} at ${connection.endpoint}: ${describeCause(err)}`, { cause: err });
      } finally {
        lambda.destroy();
      }
      writeLine(io.stdout, arn ?? '');
      return ExitCode.Success;
    } catch (err) {
      const error = asRolloutError(err);
      writeLine(io.stderr, `error: ${error.message}`);
      return exitCodeForError(error);
    }
  },
};
