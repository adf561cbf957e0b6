import type { ScopeState, StoredAction } from '../model.js';
import { targetGroupNotFound, validation } from '../elb-errors.js';
import type { QueryReader } from '../query-input.js';

/** A listener's DefaultActions or a rule's Actions, checked as ALB checks them. */

const FIXED_RESPONSE_TYPES = ['text/plain', 'text/css', 'text/html', 'application/javascript', 'application/json'];
const MAX_FORWARD_GROUPS = 5;

export function readActions(
  list: QueryReader[] | undefined,
  scope: ScopeState,
  member: 'defaultActions' | 'actions' = 'defaultActions',
): StoredAction[] {
  if (!list || list.length === 0) throw validation(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  const actions = list.map((a) => readAction(a, scope));
  if (actions.length > 1) {
    throw validation(
      member === 'actions'
        ? 'A rule can have only one forward, fixed-response or redirect action; authenticate actions are not emulated'
        : 'A listener can have only one default forward, fixed-response or redirect action; authenticate actions are not emulated',
    );
  }
  return actions;
}

function readAction(a: QueryReader, scope: ScopeState): StoredAction {
  const type = a.requiredString('Type');
  const order = a.int('Order', { min: 1, max: 50000 });
  switch (type) {
    case 'forward':
      return readForward(a, order, scope);
    case 'fixed-response': {
      const config = a.object('FixedResponseConfig');
      if (!config) throw validation('A fixed-response action must have a FixedResponseConfig');
      const statusCode = config.requiredString('StatusCode');
      if (!/^[245]\d\d$/.test(statusCode)) throw validation(`Fixed response status code '${statusCode}' must be a 2XX, 4XX or 5XX code`);
      const contentType = config.string('ContentType');
      if (contentType !== undefined && !FIXED_RESPONSE_TYPES.includes(contentType)) {
        throw validation(`Fixed response content type '${contentType}' must be one of ${FIXED_RESPONSE_TYPES.join(', ')}`);
      }
      const messageBody = config.string('MessageBody');
      if (messageBody !== undefined && messageBody.length > 1024) throw validation('Fixed response message body cannot be longer than 1024 characters');
      return { type, order, statusCode, contentType, messageBody };
    }
    case 'redirect': {
      const config = a.object('RedirectConfig');
      if (!config) throw validation('A redirect action must have a RedirectConfig');
      const statusCode = config.requiredString('StatusCode');
      if (statusCode !== 'HTTP_301' && statusCode !== 'HTTP_302') throw validation(`Redirect status code '${statusCode}' must be HTTP_301 or HTTP_302`);
      return {
        type,
        order,
        statusCode,
        protocol: config.string('Protocol') ?? '#{protocol}',
        port: config.string('Port') ?? '#{port}',
        host: config.string('Host') ?? '#{host}',
        path: config.string('Path') ?? '/#{path}',
        query: config.string('Query') ?? '#{query}',
      };
    }
    default:
      throw validation(`Action type '${type}' is not emulated by ecs-rollout: forward, fixed-response and redirect are; see docs/emulator-fidelity.md`);
  }
}

function readForward(a: QueryReader, order: number | undefined, scope: ScopeState): StoredAction {
  const single = a.string('TargetGroupArn');
  const config = a.object('ForwardConfig');
  const tuples = (config?.objectList('TargetGroups') ?? []).map((t) => ({
    targetGroupArn: t.requiredString('TargetGroupArn'),
    weight: t.int('Weight', { min: 0, max: 999 }) ?? 1,
  }));
  if (single === undefined && tuples.length === 0) throw validation('A target group ARN must be specified for a forward action');
  if (single !== undefined && tuples.length > 0 && !(tuples.length === 1 && tuples[0]?.targetGroupArn === single)) {
    throw validation('You cannot specify both a target group ARN and a forward config with different target groups');
  }
  const groups = tuples.length > 0 ? tuples : [{ targetGroupArn: single as string, weight: 1 }];
  if (groups.length > MAX_FORWARD_GROUPS) throw validation(`A forward action can have at most ${MAX_FORWARD_GROUPS} target groups`);
  if (new Set(groups.map((g) => g.targetGroupArn)).size !== groups.length) throw validation('Target group ARNs in a forward action must be unique');
  for (const g of groups) if (!scope.targetGroups.has(g.targetGroupArn)) throw targetGroupNotFound();
  const stickiness = config?.object('TargetGroupStickinessConfig');
  return {
    type: 'forward',
    order,
    groups,
    stickiness: {
      enabled: stickiness?.bool('Enabled') ?? false,
      durationSeconds: stickiness?.int('DurationSeconds', { min: 1, max: 604800 }),
    },
  };
}
