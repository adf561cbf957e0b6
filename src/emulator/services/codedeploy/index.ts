import type { Clock } from '../../clock.js';
import { defineService, type EmulatedService } from '../../service.js';
import type { Persistent } from '../../state-directory.js';
import { codeDeployOperations } from './operations.js';
import { CodeDeployStore } from './store.js';

/**
 * The emulated CodeDeploy API for the ECS compute platform (awsJson 1.1, the
 * only protocol its SDK v3 client, botocore and the AWS CLI speak):
 * applications, deployment groups and deployment configurations. Deployments
 * are not emulated yet.
 */
export function createCodeDeploy(deps: { clock: Clock }): { service: EmulatedService; state: Persistent } {
  const store = new CodeDeployStore();
  const service = defineService(
    { name: 'CodeDeploy', protocol: 'awsJson1_1', signingName: 'codedeploy', targetPrefix: 'CodeDeploy_20141006' },
    codeDeployOperations(store, deps.clock),
  );
  return { service, state: store };
}
