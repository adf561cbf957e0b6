import type { Clock } from '../../clock.js';
import { defineService, type EmulatedService } from '../../service.js';
import type { Persistent } from '../../state-directory.js';
import type { ImageRegistry } from './image-registry.js';
import { ecrOperations } from './operations.js';
import { createImageRegistry } from './registry.js';
import { EcrStore } from './store.js';

export function createEcr(deps: { clock: Clock }): { service: EmulatedService; registry: ImageRegistry; state: Persistent } {
  const store = new EcrStore();
  const service = defineService(
    { name: 'ECR', protocol: 'awsJson1_1', signingName: 'ecr', targetPrefix: 'AmazonEC2ContainerRegistry_V20150921' },
    ecrOperations(store, deps.clock),
  );
  return { service, registry: createImageRegistry(store), state: store };
}
