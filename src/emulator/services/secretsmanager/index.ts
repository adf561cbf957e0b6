import type { Clock } from '../../clock.js';
import { defineService, type EmulatedService } from '../../service.js';
import type { Persistent } from '../../state-directory.js';
import { secretsManagerOperations } from './operations.js';
import { SecretsStore } from './store.js';

/**
 * The emulated Secrets Manager API (awsJson 1.1, X-Amz-Target
 * "secretsmanager.<Operation>"): secrets as a release's task definitions
 * reference them, created, described, read and deleted.
 */
export function createSecretsManager(deps: {
  clock: Clock;
  /** A read changed state (GetSecretValue records LastAccessedDate): save it. */
  markDirty?: () => void;
}): { service: EmulatedService; state: Persistent } {
  const store = new SecretsStore();
  const service = defineService(
    { name: 'SecretsManager', protocol: 'awsJson1_1', signingName: 'secretsmanager', targetPrefix: 'secretsmanager' },
    secretsManagerOperations(store, deps.clock, deps.markDirty ?? (() => {})),
  );
  return { service, state: store };
}
