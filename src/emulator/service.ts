import { AwsError, unsupportedOperation } from './errors.js';
import type { RestRoute } from './protocol/rest-json.js';
import type { ServiceModel } from './protocol/smithy-model.js';
import type { RequestContext } from './request-context.js';

/** The wire protocol a service speaks, as its Smithy model names it. */
export type WireProtocol = 'awsJson1_1' | 'awsJson1_0' | 'awsQuery' | 'restJson1' | 'rpcv2Cbor';

/**
 * One operation: typed input in, typed output out. Inputs arrive decoded from
 * the wire but unvalidated; each operation checks what it reads.
 */
export type Operation<I, O> = (input: I, ctx: RequestContext) => O | Promise<O>;

/** An emulated AWS service as the HTTP front door sees it. */
export interface EmulatedService {
  /** The name used in the API call log, e.g. "ECS", "ELBv2". */
  readonly name: string;
  /** The protocol the operations are written against (their inputs arrive in its value model). */
  readonly protocol: WireProtocol;
  /**
   * Protocols the same operations are also served over, for clients that pick
   * another one of the service's protocols (boto3 may speak rpcv2Cbor, older
   * clients awsQuery). rpcv2Cbor routes by targetPrefix, the service's shape
   * name; awsQuery by signingName or queryVersion, and needs `model` to type
   * the text it decodes.
   */
  readonly alsoServes?: readonly WireProtocol[];
  /** The service's Smithy shapes, for codecs that need types the wire does not carry and for error shape ids. */
  readonly model?: ServiceModel;
  /** SigV4 signing name, e.g. "ecs", "elasticloadbalancing". */
  readonly signingName: string;
  /** awsJson: the X-Amz-Target prefix, e.g. "AmazonEC2ContainerServiceV20141113". */
  readonly targetPrefix?: string;
  /** awsQuery: the API version clients send and the XML namespace of responses. */
  readonly queryVersion?: string;
  readonly xmlNamespace?: string;
  /** restJson1: each operation's method and path, and how its members bind to the request. */
  readonly routes?: readonly RestRoute[];
  readonly operations: readonly string[];
  invoke(operation: string, input: unknown, ctx: RequestContext): Promise<unknown>;
}

/**
 * Makes an EmulatedService from an operation table keyed by AWS operation
 * name. The table's keys are the whole list of what the service serves; any
 * other operation gets an AWS-shaped error naming the gap.
 */
export function defineService<T extends Record<string, Operation<never, unknown>>>(
  meta: Omit<EmulatedService, 'operations' | 'invoke'>,
  table: T,
): EmulatedService {
  const operations = Object.keys(table);
  return {
    ...meta,
    operations,
    async invoke(operation, input, ctx) {
      if (!Object.prototype.hasOwnProperty.call(table, operation)) {
        throw unsupportedOperation(meta.name, operation);
      }
      const op = table[operation] as Operation<unknown, unknown>;
      if (input !== undefined && (typeof input !== 'object' || input === null || Array.isArray(input))) {
        throw new AwsError('SerializationException', `${meta.name} ${operation}: the request body must be an object`);
      }
      return op(input ?? {}, ctx);
    },
  };
}

/** True when `service` answers requests in `protocol`. */
export function serves(service: EmulatedService, protocol: WireProtocol): boolean {
  return service.protocol === protocol || (service.alsoServes ?? []).includes(protocol);
}

/** `service`, answering in more protocols than the one its operations are written against. */
export function servedAlsoOver(
  service: EmulatedService,
  extra: Required<Pick<EmulatedService, 'alsoServes' | 'model'>> & Pick<EmulatedService, 'queryVersion' | 'xmlNamespace'>,
): EmulatedService {
  return { ...service, ...extra, alsoServes: [...(service.alsoServes ?? []), ...extra.alsoServes] };
}

/** True for operations that only read: they are not persisted after they run. */
export function isReadOnlyOperation(operation: string): boolean {
  // Filter: CloudWatch Logs' FilterLogEvents, which `aws logs tail --follow` polls.
  return /^(Describe|List|Get|BatchGet|Filter)/.test(operation);
}
