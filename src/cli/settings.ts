import { loadConfigFile, type ConfigFile } from '../spec/config-file.js';
import { resolveConnection, type Connection } from '../spec/connection.js';
import type { CliIo } from './io.js';

export interface Settings {
  config: ConfigFile;
  connection: Connection;
}

/** The config file (if any) and where to connect: flags > environment > file > defaults. */
export async function loadSettings(
  io: CliIo,
  flags: { config?: string | undefined; 'endpoint-url'?: string | undefined; region?: string | undefined },
  fallbackEndpoint?: string,
): Promise<Settings> {
  const { config } = await loadConfigFile({ ...(flags.config !== undefined ? { path: flags.config } : {}), cwd: io.cwd ?? process.cwd() });
  const connection = resolveConnection({
    flags: { endpointUrl: flags['endpoint-url'], region: flags.region },
    env: io.env,
    config,
    ...(fallbackEndpoint !== undefined ? { fallbackEndpoint } : {}),
  });
  return { config, connection };
}
