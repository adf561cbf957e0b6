import type { Clock } from '../../clock.js';
import { defineService, type EmulatedService } from '../../service.js';
import type { Persistent } from '../../state-directory.js';
import { LocalFunctions, type FunctionPlane } from './function-plane.js';
import { lambdaOperations } from './operations.js';
import { lambdaRoutes } from './routes.js';
import { LambdaStore } from './store.js';

/** The emulated Lambda API, and the plane ECS invokes lifecycle hook functions through. */
export function createLambda(deps: { clock: Clock }): { service: EmulatedService; functions: FunctionPlane; state: Persistent; close(): void } {
  const store = new LambdaStore();
  const functions = new LocalFunctions(store);
  const service = defineService(
    { name: 'Lambda', protocol: 'restJson1', signingName: 'lambda', routes: lambdaRoutes },
    lambdaOperations(store, functions, deps.clock),
  );
  return { service, functions, state: store, close: () => functions.close() };
}
