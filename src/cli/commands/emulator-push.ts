import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { LOCAL_IMAGE_MEDIA_TYPE, type LocalImageManifest } from '../../emulator/services/ecr/image-registry.js';
import { clientConfig } from '../../aws/clients.js';
import { parseEcrImageUri } from '../../engine/image.js';
import { describeCause, RolloutError } from '../../spec/errors.js';
import { parseCommandArgs, splitAtCommand } from '../args.js';
import { asRolloutError, exitCodeForError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { writeLine, type Command } from '../io.js';
import { loadSettings } from '../settings.js';
import { DEFAULT_EMULATOR_ENDPOINT, EMULATOR_DEFAULT_ACCOUNT } from './emulator-endpoint.js';

const OPTIONS = {
  'endpoint-url': { type: 'string' },
  region: { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `Usage: ecs-rollout emulator push IMAGE [--endpoint-url URL] -- COMMAND [ARGS...]

Stores a local image in the emulator's ECR: containers of IMAGE run COMMAND
with ARGS (in the current directory) instead of pulling a container image.

IMAGE is an ECR URI (123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v1) or
a bare repo:tag, which becomes ACCOUNT.dkr.ecr.REGION.amazonaws.com/repo:tag
with the emulator's account (000000000000, or the access key id when it is 12
digits). Prints the image URI.

Options:
  --endpoint-url URL    the emulator (default $AWS_ENDPOINT_URL, config, ${DEFAULT_EMULATOR_ENDPOINT})
  --region REGION       region of a bare repo:tag (default $AWS_REGION, us-east-1)
  -h, --help            show this help

Example:
  ecs-rollout emulator push web:v1 -- node server.js`;

export const emulatorPushCommand: Command = {
  name: 'emulator push',
  summary: 'store a local image (a command to run) in the emulator',
  help: HELP,
  async run(args, io) {
    try {
      const { own, command } = splitAtCommand(args);
      const { values, positionals } = parseCommandArgs('emulator push', own, OPTIONS, true);
      if (values.help) {
        writeLine(io.stdout, HELP);
        return ExitCode.Success;
      }
      const [image, ...extra] = positionals;
      if (!image) throw new RolloutError('InvalidArguments', 'missing IMAGE: ecs-rollout emulator push IMAGE -- COMMAND [ARGS...]');
      if (extra.length) throw new RolloutError('InvalidArguments', `unexpected arguments before --: ${extra.join(' ')}; put the command after --`);
      const [program, ...programArgs] = command;
      if (!program) throw new RolloutError('InvalidArguments', 'missing COMMAND after --: ecs-rollout emulator push IMAGE -- COMMAND [ARGS...]');

      const { connection } = await loadSettings(io, values, DEFAULT_EMULATOR_ENDPOINT);
      const cwd = io.cwd ?? process.cwd();
      const target = imageTarget(image, connection.region, connection.credentials?.accessKeyId ?? io.env.AWS_ACCESS_KEY_ID);
      const manifest: LocalImageManifest = {
        schemaVersion: 2,
        mediaType: LOCAL_IMAGE_MEDIA_TYPE,
        command: [resolveProgram(program, cwd), ...programArgs],
        cwd,
      };
      // The emulator scopes ECR by the access key: a 12-digit key is that account.
      const credentials = target.account !== EMULATOR_DEFAULT_ACCOUNT ? { accessKeyId: target.account, secretAccessKey: 'test' } : connection.credentials;
      const ecr = new ECRClient(clientConfig({ ...connection, credentials }, target.region));
      try {
        await ecr.send(new CreateRepositoryCommand({ repositoryName: target.repository })).catch((err: unknown) => {
          if (!(err instanceof Error && err.name === 'RepositoryAlreadyExistsException')) throw err;
        });
        await ecr.send(
          new PutImageCommand({
            repositoryName: target.repository,
            imageTag: target.tag,
            imageManifest: JSON.stringify(manifest),
            imageManifestMediaType: LOCAL_IMAGE_MEDIA_TYPE,
          }),
        ).catch((err: unknown) => {
          // Pushing the same manifest under the same tag again changes nothing.
          if (!(err instanceof Error && err.name === 'ImageAlreadyExistsException')) throw err;
        });
      } catch (err) {
        throw new RolloutError('AwsRequestFailed', `failed to push ${target.uri} to ${connection.endpoint}: ${describeCause(err)}`, { cause: err });
      } finally {
        ecr.destroy();
      }
      writeLine(io.stdout, target.uri);
      return ExitCode.Success;
    } catch (err) {
      const error = asRolloutError(err);
      writeLine(io.stderr, `error: ${error.message}`);
      return exitCodeForError(error);
    }
  },
};

interface ImageTarget {
  uri: string;
  account: string;
  region: string;
  repository: string;
  tag: string;
}

export function imageTarget(image: string, region: string, accessKeyId: string | undefined): ImageTarget {
  const ecr = parseEcrImageUri(image);
  if (ecr) {
    if (ecr.digest) throw new RolloutError('InvalidArguments', `${image}: push needs a tag, not a digest`);
    const tag = ecr.tag ?? 'latest';
    return { uri: `${ecr.registryId}.dkr.ecr.${ecr.region}.amazonaws.com/${ecr.repositoryName}:${tag}`, account: ecr.registryId, region: ecr.region, repository: ecr.repositoryName, tag };
  }
  const match = /^([a-z0-9](?:[a-z0-9._\/-]*[a-z0-9])?)(?::([\w][\w.-]{0,127}))?$/.exec(image);
  if (!match) throw new RolloutError('InvalidArguments', `${image}: expected an ECR URI or repo:tag (lowercase repository name)`);
  const [, repository = '', tag = 'latest'] = match;
  const account = accessKeyId && /^\d{12}$/.test(accessKeyId) ? accessKeyId : EMULATOR_DEFAULT_ACCOUNT;
  return { uri: `${account}.dkr.ecr.${region}.amazonaws.com/${repository}:${tag}`, account, region, repository, tag };
}

/** A relative path to an existing file becomes absolute: tasks run it from anywhere. Bare program names stay for PATH. */
function resolveProgram(program: string, cwd: string): string {
  if (isAbsolute(program)) return program;
  const candidate = resolve(cwd, program);
  try {
    return statSync(candidate).isFile() ? candidate : program;
  } catch {
    return program;
  }
}
