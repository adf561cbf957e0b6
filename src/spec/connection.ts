/**
 * Where and as whom the AWS clients connect. Pure: it reads the flags, the
 * environment and the config file it is given, and decides.
 */
export interface Connection {
  /** Undefined means the real AWS endpoints. */
  endpoint: string | undefined;
  region: string;
  /** True when the endpoint is this machine (the emulator). */
  loopback: boolean;
  /**
   * Explicit credentials, or undefined to let the SDK's default chain find
   * them. A loopback endpoint with no credentials in the environment gets
   * static test credentials: the emulator accepts any, and a laptop without
   * an AWS profile should still reach it.
   */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
}

export const DEFAULT_REGION = 'us-east-1';
export const LOCAL_TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

export interface ConnectionInputs {
  flags: { endpointUrl?: string | undefined; region?: string | undefined };
  env: NodeJS.ProcessEnv;
  config: { endpointUrl?: string | undefined; region?: string | undefined };
  /** Used when nothing else names an endpoint (the emulator commands). */
  fallbackEndpoint?: string;
}

export function resolveConnection(inputs: ConnectionInputs): Connection {
  const { flags, env, config } = inputs;
  const endpoint = nonEmpty(flags.endpointUrl) ?? nonEmpty(env.AWS_ENDPOINT_URL) ?? nonEmpty(config.endpointUrl) ?? inputs.fallbackEndpoint;
  const region = nonEmpty(flags.region) ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? nonEmpty(config.region) ?? DEFAULT_REGION;
  const loopback = endpoint !== undefined && isLoopbackUrl(endpoint);
  return { endpoint, region, loopback, credentials: credentialsFrom(env, loopback) };
}

function credentialsFrom(env: NodeJS.ProcessEnv, loopback: boolean): Connection['credentials'] {
  const accessKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID);
  const secretAccessKey = nonEmpty(env.AWS_SECRET_ACCESS_KEY);
  if (accessKeyId && secretAccessKey) {
    const sessionToken = nonEmpty(env.AWS_SESSION_TOKEN);
    return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
  }
  const hasOtherSource = nonEmpty(env.AWS_PROFILE) ?? nonEmpty(env.AWS_WEB_IDENTITY_TOKEN_FILE) ?? nonEmpty(env.AWS_CONTAINER_CREDENTIALS_FULL_URI) ?? nonEmpty(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI);
  if (loopback && !hasOtherSource) return { ...LOCAL_TEST_CREDENTIALS };
  return undefined;
}

export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  host = host.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host) || host.endsWith('.localhost');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
