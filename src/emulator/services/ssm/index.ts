import type { Clock } from '../../clock.js';
import { defineService, type EmulatedService } from '../../service.js';
import type { Persistent } from '../../state-directory.js';
import { ssmOperations } from './operations.js';
import { ParameterStore } from './store.js';

/**
 * The emulated Systems Manager Parameter Store (awsJson 1.1, X-Amz-Target
 * "AmazonSSM.<Operation>"): parameters as a release's task definitions
 * reference them. The rest of Systems Manager is not served.
 */
export function createSsm(deps: { clock: Clock }): { service: EmulatedService; state: Persistent } {
  const store = new ParameterStore();
  const service = defineService(
    { name: 'SSM', protocol: 'awsJson1_1', signingName: 'ssm', targetPrefix: 'AmazonSSM' },
    ssmOperations(store, deps.clock),
  );
  return { service, state: store };
}
