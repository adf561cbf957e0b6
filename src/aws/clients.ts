import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import type { Connection } from '../spec/connection.js';
import { EcrImageRegistry } from './ecr-image-registry.js';
import { EcsServices } from './ecs-services.js';
import { LocalGateChecks } from './local-gate-checks.js';
import type { Ports } from '../engine/ports.js';

/** SDK client configuration for a connection: the emulator is just another endpoint. */
export function clientConfig(connection: Connection, region = connection.region) {
  return {
    region,
    ...(connection.endpoint !== undefined ? { endpoint: connection.endpoint } : {}),
    ...(connection.credentials !== undefined ? { credentials: connection.credentials } : {}),
  };
}

export interface AwsPorts extends Ports {
  /** Releases the clients' sockets. */
  close(): void;
}

/** The engine's ports over real SDK v3 clients. */
export function createAwsPorts(connection: Connection): AwsPorts {
  const ecs = new ECSClient(clientConfig(connection));
  const ecrClients = new Map<string, ECRClient>();
  // Images may live in another region than the service; one ECR client per region, made when first needed.
  const ecrFor = (region: string): ECRClient => {
    let client = ecrClients.get(region);
    if (!client) {
      client = new ECRClient(clientConfig(connection, region));
      ecrClients.set(region, client);
    }
    return client;
  };
  return {
    ecs: new EcsServices(ecs),
    images: new EcrImageRegistry(ecrFor),
    gates: new LocalGateChecks(),
    close() {
      ecs.destroy();
      for (const client of ecrClients.values()) client.destroy();
    },
  };
}
