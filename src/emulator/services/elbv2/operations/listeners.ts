import type {
  CreateListenerOutput, DeleteListenerOutput, DescribeListenersOutput, ModifyListenerOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListenerBindError } from '../../../runtime/load-balancer/listener-server.js';
import type { Operation } from '../../../service.js';
import { listenerArn, ruleArn } from '../arns.js';
import type { Elbv2Context } from '../context.js';
import {
  duplicateListener, invalidConfiguration, listenerNotFound, loadBalancerNotFound, targetGroupAssociationLimit,
  unsupportedProtocol, validation,
} from '../elb-errors.js';
import type { ScopeState, StoredAction, StoredListener } from '../model.js';
import { page, queryReader } from '../query-input.js';
import { listenerView, loadBalancerArnsOf } from '../views.js';
import { readActions } from './actions.js';
import { readTags } from './tags.js';

/** A target group serves one load balancer: ALB refuses a second one. */
export function checkAssociation(scope: ScopeState, lbArn: string, actions: StoredAction[]): void {
  const taken = actions
    .flatMap((a) => (a.type === 'forward' ? a.groups.map((g) => g.targetGroupArn) : []))
    .filter((arn) => loadBalancerArnsOf(scope, arn).some((other) => other !== lbArn));
  if (taken.length > 0) throw targetGroupAssociationLimit(taken);
}

function readProtocol(protocol: string | undefined): string {
  const p = protocol ?? 'HTTP';
  if (p !== 'HTTP') throw unsupportedProtocol(p);
  return p;
}

export function listenerOperations(c: Elbv2Context) {
  /** Binds the listener's port; a port that cannot be bound is an InvalidConfigurationRequest naming the way out. */
  const open = async (arn: string, port: number): Promise<void> => {
    try {
      await c.dataPlane.openListener(arn, port);
    } catch (err) {
      if (!(err instanceof ListenerBindError)) throw err;
      const hint =
        err.code === 'EACCES'
          ? `; start the emulator with --listener-port-map ${port}=${port < 1024 ? port + 8000 : port + 1} to serve this listener on another local port`
          : err.code === 'EADDRINUSE'
            ? `; another process (or another emulated load balancer) uses it: map this listener port elsewhere with --listener-port-map ${port}=<free port>`
            : '';
      throw invalidConfiguration(`${err.message}${hint}`);
    }
  };

  const find = (scope: ScopeState, arn: string): StoredListener => {
    const listener = scope.listeners.get(arn);
    if (!listener) throw listenerNotFound();
    return listener;
  };

  const CreateListener: Operation<unknown, CreateListenerOutput> = async (input, ctx) => {
    const q = queryReader(input);
    const lbArn = q.requiredString('LoadBalancerArn');
    const scope = c.scope(ctx);
    if (!scope.loadBalancers.has(lbArn)) throw loadBalancerNotFound();
    const protocol = readProtocol(q.string('Protocol'));
    const port = q.int('Port', { min: 1, max: 65535 });
    if (port === undefined) throw validation('A listener port must be specified');
    const actions = readActions(q.objectList('DefaultActions'), scope);
    const tags = readTags(q);
    const existing = [...scope.listeners.values()].find((l) => l.loadBalancerArn === lbArn && l.port === port);
    if (existing) {
      // AWS: creating a listener again with the same settings returns the existing one.
      if (existing.protocol === protocol && JSON.stringify(existing.defaultActions) === JSON.stringify(actions)) {
        return { Listeners: [listenerView(existing)] };
      }
      throw duplicateListener(lbArn);
    }
    checkAssociation(scope, lbArn, actions);
    const arn = listenerArn(lbArn);
    const listener: StoredListener = {
      arn, loadBalancerArn: lbArn, port, protocol, defaultActions: actions, defaultRuleArn: ruleArn(arn), tags,
    };
    await open(listener.arn, port);
    scope.listeners.set(listener.arn, listener);
    c.changed();
    return { Listeners: [listenerView(listener)] };
  };

  const DescribeListeners: Operation<unknown, DescribeListenersOutput> = (input, ctx) => {
    const q = queryReader(input);
    const scope = c.scope(ctx);
    const lbArn = q.string('LoadBalancerArn');
    const arns = q.stringList('ListenerArns');
    if (lbArn === undefined && !arns) throw validation('You must specify either listener ARNs or a load balancer ARN');
    let listeners: StoredListener[];
    if (arns) listeners = arns.map((arn) => find(scope, arn));
    else {
      if (!scope.loadBalancers.has(lbArn as string)) throw loadBalancerNotFound();
      listeners = [...scope.listeners.values()].filter((l) => l.loadBalancerArn === lbArn);
    }
    const { items, nextMarker } = page(listeners, q);
    return { Listeners: items.map(listenerView), NextMarker: nextMarker };
  };

  const ModifyListener: Operation<unknown, ModifyListenerOutput> = async (input, ctx) => {
    const q = queryReader(input);
    const scope = c.scope(ctx);
    const listener = find(scope, q.requiredString('ListenerArn'));
    const protocol = q.has('Protocol') ? readProtocol(q.string('Protocol')) : listener.protocol;
    const port = q.int('Port', { min: 1, max: 65535 }) ?? listener.port;
    const actions = q.has('DefaultActions') ? readActions(q.objectList('DefaultActions'), scope) : listener.defaultActions;
    if (port !== listener.port) {
      const clash = [...scope.listeners.values()].some((l) => l !== listener && l.loadBalancerArn === listener.loadBalancerArn && l.port === port);
      if (clash) throw duplicateListener(listener.loadBalancerArn);
    }
    checkAssociation(scope, listener.loadBalancerArn, actions);
    if (port !== listener.port) await open(listener.arn, port);
    listener.protocol = protocol;
    listener.port = port;
    listener.defaultActions = actions;
    c.changed();
    return { Listeners: [listenerView(listener)] };
  };

  const DeleteListener: Operation<unknown, DeleteListenerOutput> = async (input, ctx) => {
    const scope = c.scope(ctx);
    const listener = find(scope, queryReader(input).requiredString('ListenerArn'));
    c.dropListener(scope, listener.arn);
    await c.dataPlane.closeListener(listener.arn);
    c.changed();
    return {};
  };

  return { CreateListener, DescribeListeners, ModifyListener, DeleteListener };
}
