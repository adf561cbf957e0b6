import type { Clock } from '../../clock.js';
import { defineService, type EmulatedService } from '../../service.js';
import type { Persistent } from '../../state-directory.js';
import { StoredAlarms, type AlarmPlane } from './alarm-plane.js';
import { AlarmStore } from './alarm-store.js';
import { cloudWatchOperations } from './operations.js';

/** The emulated CloudWatch alarms API, and the plane ECS reads deployment alarm states through. */
export function createCloudWatch(deps: { clock: Clock }): { service: EmulatedService; alarms: AlarmPlane; state: Persistent } {
  const store = new AlarmStore();
  const service = defineService(
    { name: 'CloudWatch', protocol: 'awsJson1_0', signingName: 'monitoring', targetPrefix: 'GraniteServiceVersion20100801' },
    cloudWatchOperations(store, deps.clock),
  );
  return { service, alarms: new StoredAlarms(store), state: store };
}
