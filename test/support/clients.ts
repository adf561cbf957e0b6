import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';

export const TEST_REGION = 'us-east-1';
export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Real SDK v3 clients pointed at an emulator endpoint. */
export function awsClients(endpoint: string, region = TEST_REGION) {
  const config = { endpoint, region, credentials: TEST_CREDENTIALS, maxAttempts: 1 };
  return {
    ecs: new ECSClient(config),
    ecr: new ECRClient(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
  };
}

let counter = 0;
/** A name no other test in this process uses. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}
