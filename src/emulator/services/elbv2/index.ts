import type { Clock } from '../../clock.js';
import { LoadBalancerDataPlane } from '../../runtime/load-balancer/data-plane.js';
import { ListenerBindError } from '../../runtime/load-balancer/listener-server.js';
import type { TrafficSnapshot } from '../../runtime/load-balancer/traffic-metrics.js';
import { ElbMetricPublisher } from '../../runtime/metrics/elb-metric-publisher.js';
import type { MetricPlane } from '../cloudwatch/metric-plane.js';
import { defineService, type EmulatedService } from '../../service.js';
import type { Persistent } from '../../state-directory.js';
import { Elbv2Context } from './context.js';
import type { LoadBalancingPlane } from './load-balancing-plane.js';
import { elbMetricSource } from './metric-source.js';
import { elbv2Operations } from './operations.js';
import { createPlane } from './plane.js';
import { routingSource } from './routing-source.js';
import { Elbv2Store } from './store.js';

export interface Elbv2Deps {
  clock: Clock;
  /** Address listeners are bound on; also every load balancer's DNSName. */
  host: string;
  /** Listener port -> local port, for listener ports that cannot be bound here. */
  listenerPortMap: ReadonlyMap<number, number>;
  /** State changed outside an API call (a target finished draining). */
  markDirty: () => void;
  log: (line: string) => void;
  /** Where AWS/ApplicationELB metrics go; without it none are published. */
  metrics?: MetricPlane;
}

export interface Elbv2 {
  service: EmulatedService;
  plane: LoadBalancingPlane;
  state: Persistent;
  /** Request and response counters per load balancer and target group, for CloudWatch metrics. */
  traffic(): TrafficSnapshot;
  /** Binds the listeners of restored state and starts their health checks. */
  start(): Promise<void>;
  /** Closes every listener and stops health checks and draining timers. */
  close(): Promise<void>;
}

export function createElbv2(deps: Elbv2Deps): Elbv2 {
  const store = new Elbv2Store();
  const dataPlane = new LoadBalancerDataPlane({
    clock: deps.clock,
    host: deps.host,
    listenerPortMap: deps.listenerPortMap,
    log: deps.log,
    source: routingSource(store),
  });
  const context = new Elbv2Context(store, deps.clock, deps.host, dataPlane, deps.markDirty, deps.log);
  const publisher = deps.metrics
    ? new ElbMetricPublisher({ clock: deps.clock, source: elbMetricSource(context, dataPlane), metrics: deps.metrics, log: deps.log })
    : undefined;
  const service = defineService(
    {
      name: 'ELBv2',
      protocol: 'awsQuery',
      signingName: 'elasticloadbalancing',
      queryVersion: '2015-12-01',
      xmlNamespace: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
    },
    elbv2Operations(context),
  );
  return {
    service,
    plane: createPlane(context),
    state: store,
    traffic: () => dataPlane.metrics.snapshot(),
    async start() {
      for (const scope of store.allScopes()) {
        for (const listener of scope.listeners.values()) {
          try {
            await dataPlane.openListener(listener.arn, listener.port);
          } catch (err) {
            // A restored listener whose port is taken stays configured; the emulator still starts.
            if (!(err instanceof ListenerBindError)) throw err;
            deps.log(`elbv2: listener ${listener.arn} not served: ${err.message}`);
          }
        }
      }
      context.changed();
      publisher?.start();
    },
    async close() {
      // The last partial minute is published while the data plane's counters are still there.
      await publisher?.close();
      context.close();
      await dataPlane.close();
    },
  };
}
