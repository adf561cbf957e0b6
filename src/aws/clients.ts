import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Connection } from '../spec/connection.js';
import { CloudWatchMetrics } from './cloudwatch-metrics.js';
import { CodeDeployDeployments } from './codedeploy-deployments.js';
import { EcrImageRegistry } from './ecr-image-registry.js';
import { EcsServiceControl } from './ecs-service-control.js';
import { EcsServices } from './ecs-services.js';
import { LogTails, ReleaseResources } from './release-resources.js';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient } from '@aws-sdk/client-iam';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { Elbv2Routes } from './elbv2-routes.js';
import { LocalGateChecks } from './local-gate-checks.js';
import { LocalProbes } from './local-probes.js';
import type { AlbCanaryPorts } from '../engine/ports.js';

/** SDK client configuration for a connection: the emulator is just another endpoint. */
export function clientConfig(connection: Connection, region = connection.region) {
  return {
    region,
    ...(connection.endpoint !== undefined ? { endpoint: connection.endpoint } : {}),
    ...(connection.credentials !== undefined ? { credentials: connection.credentials } : {}),
  };
}

export interface AwsPorts extends AlbCanaryPorts {
  /** Releases the clients' sockets. */
  close(): void;
}

/** The engine's ports over real SDK v3 clients. */
export function createAwsPorts(connection: Connection): AwsPorts {
  const ecs = new ECSClient(clientConfig(connection));
  const cloudWatch = new CloudWatchClient(clientConfig(connection));
  const elbv2 = new ElasticLoadBalancingV2Client(clientConfig(connection));
  const codeDeploy = new CodeDeployClient(clientConfig(connection));
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
  // verify's clients, one per region, made when first needed.
  const made: Array<{ destroy(): void }> = [];
  const perRegion = <C extends { destroy(): void }>(make: (config: ReturnType<typeof clientConfig>) => C) => {
    const byRegion = new Map<string, C>();
    return (region: string | undefined): C => {
      const key = region ?? connection.region;
      let client = byRegion.get(key);
      if (!client) {
        client = make(clientConfig(connection, key));
        byRegion.set(key, client);
        made.push(client);
      }
      return client;
    };
  };
  const iam = perRegion((config) => new IAMClient(config));
  const logs = perRegion((config) => new CloudWatchLogsClient(config));
  const resources = new ReleaseResources({
    // IAM is global; its client is made once.
    iam: () => iam(undefined),
    secrets: perRegion((config) => new SecretsManagerClient(config)),
    ssm: perRegion((config) => new SSMClient(config)),
    logs,
    elbv2,
  });
  return {
    resources,
    logs: new LogTails(logs),
    ecs: new EcsServices(ecs),
    images: new EcrImageRegistry(ecrFor),
    gates: new LocalGateChecks(),
    metrics: new CloudWatchMetrics(cloudWatch),
    probes: new LocalProbes(),
    services: new EcsServiceControl(ecs),
    loadBalancers: new Elbv2Routes(elbv2),
    codeDeploy: new CodeDeployDeployments(codeDeploy),
    close() {
      ecs.destroy();
      cloudWatch.destroy();
      elbv2.destroy();
      codeDeploy.destroy();
      for (const client of ecrClients.values()) client.destroy();
      for (const client of made) client.destroy();
    },
  };
}
