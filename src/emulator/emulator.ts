import type { Server } from 'node:http';
import * as cloudWatchSchemas from '@aws-sdk/client-cloudwatch';
import { CallLog } from './call-log.js';
import { createClock, type Clock } from './clock.js';
import { modelFromSdkSchemas } from './protocol/smithy-model.js';
import { createFrontDoor, listen } from './server.js';
import { servedAlsoOver } from './service.js';
import { createCloudWatch } from './services/cloudwatch/index.js';
import { createCodeDeploy } from './services/codedeploy/index.js';
import { createEcr } from './services/ecr/index.js';
import { createEcs } from './services/ecs/index.js';
import { createElbv2 } from './services/elbv2/index.js';
import { createIam } from './services/iam/index.js';
import { createLambda } from './services/lambda/index.js';
import { createLogs } from './services/logs/index.js';
import { createSecretsManager } from './services/secretsmanager/index.js';
import { createSsm } from './services/ssm/index.js';
import { StateDirectory } from './state-directory.js';

export const DEFAULT_EMULATOR_PORT = 4577;
export const DEFAULT_EMULATOR_HOST = '127.0.0.1';
export const DEFAULT_STATE_DIR = '.ecs-rollout/emulator';

export interface EmulatorOptions {
  /** Port of the AWS API endpoint; 0 picks a free one. Default 4577. */
  port?: number;
  /** Address to bind the API endpoint and the load balancer listeners. Default 127.0.0.1. */
  host?: string;
  /** Where state is kept across restarts; undefined keeps it in memory only. */
  stateDir?: string;
  /** How many times faster than AWS's real durations the clock runs. Default 1. */
  speed?: number;
  /** Listener port -> local port, for listener ports that cannot be bound here (e.g. 80 -> 8080). */
  listenerPortMap?: ReadonlyMap<number, number>;
  /** Where the emulator reports what it does (task starts, stops); silent when absent. */
  log?: (line: string) => void;
}

export interface Emulator {
  /** The endpoint URL to give AWS clients. */
  readonly url: string;
  readonly port: number;
  readonly clock: Clock;
  readonly callLog: CallLog;
  /** Stops every task process and listener, saves state, closes the port. */
  close(): Promise<void>;
}

const BACKGROUND_FLUSH_MS = 250;

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const clock = createClock(options.speed ?? 1);
  const host = options.host ?? DEFAULT_EMULATOR_HOST;
  const log = options.log ?? (() => {});
  const stateDir = new StateDirectory(options.stateDir);
  const callLog = new CallLog();

  const ecr = createEcr({ clock });
  const lambda = createLambda({ clock });
  const iam = createIam({ clock });
  const secretsManager = createSecretsManager({ clock, markDirty: () => stateDir.markDirty(secretsManager.state.stateName) });
  const ssm = createSsm({ clock });
  const logs = createLogs({ clock, markDirty: () => stateDir.markDirty(logs.state.stateName) });
  const cloudWatch = createCloudWatch({ clock, markDirty: () => stateDir.markDirty(cloudWatch.state.stateName), log });
  const elbv2 = createElbv2({
    clock,
    host,
    listenerPortMap: options.listenerPortMap ?? new Map(),
    markDirty: () => stateDir.markDirty(elbv2.state.stateName),
    log,
    metrics: cloudWatch.metrics,
  });
  const ecs = createEcs({
    clock,
    registry: ecr.registry,
    loadBalancing: elbv2.plane,
    functions: lambda.functions,
    alarms: cloudWatch.alarms,
    markDirty: () => stateDir.markDirty(ecs.state.stateName),
    log,
    metrics: cloudWatch.metrics,
    logs: logs.plane,
  });
  const codeDeploy = createCodeDeploy({
    clock,
    taskSets: ecs.taskSets,
    loadBalancing: elbv2.plane,
    functions: lambda.functions,
    alarms: cloudWatch.alarms,
    markDirty: () => stateDir.markDirty(codeDeploy.state.stateName),
    log,
  });
  for (const member of [ecr.state, elbv2.state, lambda.state, cloudWatch.state, ecs.state]) stateDir.attach(member);
  stateDir.attach(logs.state);
  stateDir.attach(codeDeploy.state);
  for (const member of [iam.state, secretsManager.state, ssm.state]) stateDir.attach(member);

  await elbv2.start();
  ecs.start();
  codeDeploy.start();

  // CloudWatch is awsQueryCompatible: the SDK v3 speaks awsJson1_0, clients that
  // prefer its newer protocol rpc-v2-cbor, and older ones awsQuery.
  const cloudWatchService = servedAlsoOver(cloudWatch.service, {
    alsoServes: ['rpcv2Cbor', 'awsQuery'],
    queryVersion: '2010-08-01',
    xmlNamespace: 'http://monitoring.amazonaws.com/doc/2010-08-01/',
    model: modelFromSdkSchemas(cloudWatchSchemas),
  });
  const server: Server = createFrontDoor({
    services: [ecs.service, ecr.service, elbv2.service, lambda.service, cloudWatchService, logs.service, iam.service, secretsManager.service, ssm.service, codeDeploy.service],
    callLog,
    clock,
    afterWrite: () => stateDir.flush(true),
  });
  const flusher = setInterval(() => stateDir.flush(), BACKGROUND_FLUSH_MS);
  flusher.unref();

  let address;
  try {
    address = await listen(server, options.port ?? DEFAULT_EMULATOR_PORT, host);
  } catch (err) {
    clearInterval(flusher);
    codeDeploy.close();
    lambda.close();
    await ecs.close();
    await elbv2.close();
    cloudWatch.close();
    throw new Error(`cannot serve the emulator on ${host}:${options.port ?? DEFAULT_EMULATOR_PORT}: ${(err as Error).message}`);
  }
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    clock,
    callLog,
    close() {
      closing ??= (async () => {
        clearInterval(flusher);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        codeDeploy.close();
        lambda.close();
        await ecs.close();
        await elbv2.close();
        // After ECS and ELB: their publishers send their last partial minute on close.
        cloudWatch.close();
        stateDir.flush(true);
      })();
      return closing;
    },
  };
}
