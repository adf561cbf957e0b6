import type { Elbv2Context } from './context.js';
import { listenerOperations } from './operations/listeners.js';
import { loadBalancerOperations } from './operations/load-balancers.js';
import { ruleOperations } from './operations/rules.js';
import { tagOperations } from './operations/tags.js';
import { targetGroupOperations } from './operations/target-groups.js';
import { targetOperations } from './operations/targets.js';

/** Every ELBv2 operation the emulator serves, keyed by AWS operation name. */
export function elbv2Operations(c: Elbv2Context) {
  return {
    ...loadBalancerOperations(c),
    ...targetGroupOperations(c),
    ...listenerOperations(c),
    ...ruleOperations(c),
    ...targetOperations(c),
    ...tagOperations(c),
  };
}
