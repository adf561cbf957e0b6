/** Running the AWS CLI and boto3 against the emulator, and skipping with a reason where they are not installed. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export const run = promisify(execFile);

/** A reason to skip when a third-party client is not installed on this machine. */
export async function missing(command: string, args: string[], what = command): Promise<string | undefined> {
  try {
    await run(command, args, { timeout: 20_000 });
    return undefined;
  } catch {
    return `${what} is not installed here; install it to run this test`;
  }
}

/** Static test credentials, the emulator's endpoint, and (for botocore models) an AWS_DATA_PATH. */
export const clientEnv = (url: string, dataPath?: string) => ({
  ...process.env,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_ENDPOINT_URL: url,
  AWS_PAGER: '',
  ...(dataPath ? { AWS_DATA_PATH: dataPath } : {}),
});
