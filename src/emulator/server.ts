import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { CallLog } from './call-log.js';
import { AwsError } from './errors.js';
import { decodeJsonBody, encodeJsonBody, encodeJsonError, jsonContentType, parseJsonTarget } from './protocol/json.js';
import { decodeQueryBody, encodeQueryError, encodeQueryResponse, toXml } from './protocol/query.js';
import { shapedXml, typeQueryInput } from './protocol/query-shapes.js';
import { matchPath, restJsonError, type RestResponse, type RestRoute } from './protocol/rest-json.js';
import {
  CBOR_CONTENT_TYPE, decodeRpcV2Body, encodeRpcV2Error, encodeRpcV2Output, parseRpcV2Path, RPC_V2_CBOR, SMITHY_PROTOCOL_HEADER,
} from './protocol/rpc-v2-cbor.js';
import { parseAuthorization, type RequestContext } from './request-context.js';
import { isReadOnlyOperation, serves, type EmulatedService } from './service.js';

const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** The XML namespace of an awsQuery error whose service is not known. */
const UNKNOWN_QUERY_NAMESPACE = 'https://ecs-rollout.invalid/unknown-service';

/** Paths of the emulator's own endpoints, beside the AWS APIs. */
export const STATS_PATH = '/_emulator/stats';
export const HEALTH_PATH = '/_emulator/health';

export interface FrontDoorOptions {
  services: readonly EmulatedService[];
  callLog: CallLog;
  /** The emulator's clock, shown on the health endpoint so a client can keep the same time (speed and virtual now). */
  clock?: { readonly speed: number; now(): number };
  /** Runs after every successful write operation, before the response is sent. */
  afterWrite: () => void;
}

/**
 * The one HTTP port every emulated service is served on. It finds the service
 * and operation from the protocol (smithy-protocol: rpc-v2-cbor and the
 * /service/<name>/operation/<op> path, X-Amz-Target for awsJson, REST paths,
 * Action= for awsQuery), runs it, and renders results and errors in that
 * protocol. A service may answer in several protocols (EmulatedService.alsoServes).
 */
export function createFrontDoor(options: FrontDoorOptions): Server {
  const byTarget = new Map<string, EmulatedService>();
  const bySigningName = new Map<string, EmulatedService>();
  const byQueryVersion = new Map<string, EmulatedService>();
  const byRpcV2Name = new Map<string, EmulatedService>();
  const restRoutes: Array<{ service: EmulatedService; route: RestRoute }> = [];
  for (const service of options.services) {
    for (const route of service.routes ?? []) restRoutes.push({ service, route });
    if (service.targetPrefix) byTarget.set(service.targetPrefix, service);
    if (serves(service, 'awsQuery')) {
      bySigningName.set(service.signingName, service);
      if (service.queryVersion) byQueryVersion.set(service.queryVersion, service);
    }
    // A Smithy service's shape name, which rpc-v2 paths carry, is its awsJson target prefix.
    if (serves(service, 'rpcv2Cbor') && service.targetPrefix) byRpcV2Name.set(service.targetPrefix, service);
  }
  const rpcV2Route = (path: string) => {
    const parsed = parseRpcV2Path(path);
    return parsed && { ...parsed, target: byRpcV2Name.get(parsed.service) };
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // Reached only if writing the response itself failed.
      if (!res.headersSent) sendPlain(res, 500, `internal error: ${(err as Error).message}`);
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === STATS_PATH) return sendJson(res, 200, options.callLog.stats());
    if (req.method === 'POST' && path === `${STATS_PATH}/reset`) {
      options.callLog.reset();
      return sendJson(res, 200, options.callLog.stats());
    }
    if (req.method === 'GET' && path === HEALTH_PATH) {
      const clock = options.clock ? { clock: { speed: options.clock.speed, now: options.clock.now() } } : {};
      return sendJson(res, 200, { status: 'ok', ...clock });
    }

    const requestId = randomUUID();
    const auth = parseAuthorization(header(req, 'authorization'));
    const ctx: RequestContext = { account: auth.account, region: auth.region, requestId };
    const target = header(req, 'x-amz-target');
    const contentType = header(req, 'content-type') ?? '';
    const rpcV2 = req.method === 'POST' && header(req, SMITHY_PROTOCOL_HEADER) === RPC_V2_CBOR;
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch (err) {
      if (!(err instanceof BodyTooLargeError) && !(err instanceof AwsError)) return void res.destroy();
      const unreadable = err instanceof AwsError ? err : new AwsError('RequestEntityTooLarge', err.message, { status: 413 });
      if (rpcV2) return sendRpcV2Error(res, unreadable, rpcV2Route(path ?? '/')?.target, requestId);
      if (!target && contentType.startsWith('application/x-www-form-urlencoded')) {
        return send(res, unreadable.status, 'text/xml', encodeQueryError(unreadable, UNKNOWN_QUERY_NAMESPACE, requestId));
      }
      return sendJsonError(res, 'application/x-amz-json-1.1', unreadable, { 'x-amzn-RequestId': requestId });
    }

    if (rpcV2) return handleRpcV2(res, path ?? '/', target ?? header(req, 'x-amzn-target'), raw, ctx);
    const body = raw.toString('utf8');
    if (target) return handleJson(res, target, body, ctx);
    // Before awsQuery: a REST body (a Lambda payload) may well contain "Action=".
    for (const { service, route } of restRoutes) {
      if (route.method !== req.method) continue;
      const labels = matchPath(route.path, path ?? '/');
      if (labels) return handleRest(req, res, service, route, labels, body, ctx);
    }
    if (req.method === 'POST' && (contentType.startsWith('application/x-www-form-urlencoded') || body.includes('Action='))) {
      return handleQuery(res, body, ctx, auth.signingName);
    }
    const notFound = new AwsError(
      'UnknownOperationException',
      `no emulated AWS operation at ${req.method} ${path}: send awsJson (X-Amz-Target) or awsQuery (Action=) requests to POST /, ` +
        `rpc-v2-cbor requests (header smithy-protocol: rpc-v2-cbor) to POST /service/<ServiceName>/operation/<Operation>, or Lambda's REST paths under /2015-03-31/functions`,
      { status: 404 },
    );
    return sendJsonError(res, 'application/json', notFound, { 'x-amzn-RequestId': requestId });
  }

  async function handleJson(res: ServerResponse, target: string, body: string, ctx: RequestContext): Promise<void> {
    const parsed = parseJsonTarget(target);
    const service = parsed && byTarget.get(parsed.prefix);
    if (!parsed || !service) {
      const err = new AwsError('UnknownOperationException', `X-Amz-Target ${target} names no emulated service`);
      return sendJsonError(res, 'application/x-amz-json-1.1', err, { 'x-amzn-RequestId': ctx.requestId });
    }
    const contentType = jsonContentType(service.protocol === 'awsJson1_0' ? 'awsJson1_0' : 'awsJson1_1');
    const headers = { 'x-amzn-RequestId': ctx.requestId };
    try {
      const output = await run(service, parsed.operation, decodeJsonBody(body), ctx);
      send(res, 200, contentType, encodeJsonBody(output), headers);
    } catch (err) {
      sendJsonError(res, contentType, asAwsError(err), headers);
    }
  }

  async function handleRest(
    req: IncomingMessage, res: ServerResponse, service: EmulatedService, route: RestRoute,
    labels: Record<string, string>, body: string, ctx: RequestContext,
  ): Promise<void> {
    let response: RestResponse;
    try {
      const headers = Object.fromEntries(Object.keys(req.headers).map((name) => [name, header(req, name)]));
      const query = new URL(req.url ?? '/', 'http://emulator.invalid').searchParams;
      const input = route.input({ labels, query, headers, body });
      response = route.output(await run(service, route.operation, input, ctx));
    } catch (err) {
      response = restJsonError(asAwsError(err));
    }
    const headers = { ...response.headers, 'x-amzn-RequestId': ctx.requestId };
    send(res, response.status, response.contentType ?? 'application/json', response.body, headers);
  }

  async function handleRpcV2(res: ServerResponse, path: string, target: string | undefined, body: Buffer, ctx: RequestContext): Promise<void> {
    let service: EmulatedService | undefined;
    try {
      const route = rpcV2Route(path);
      service = route?.target;
      if (!route || !service) {
        const named = route ? `service ${route.service}` : `path ${path}`;
        throw new AwsError('UnknownOperationException', `rpc-v2-cbor ${named} names no emulated service; send POST /service/<ServiceName>/operation/<Operation>`, { status: 404 });
      }
      if (target !== undefined) {
        throw new AwsError('SerializationException', 'an rpc-v2-cbor request must not carry an X-Amz-Target or X-Amzn-Target header');
      }
      const output = await run(service, route.operation, decodeRpcV2Body(body), ctx);
      const headers = { [SMITHY_PROTOCOL_HEADER]: RPC_V2_CBOR, 'x-amzn-RequestId': ctx.requestId };
      // An operation whose output is Unit answers with no body and no content type.
      if (service.model?.output(route.operation)?.type === 'unit') return send(res, 200, undefined, '', headers);
      send(res, 200, CBOR_CONTENT_TYPE, encodeRpcV2Output(output), headers);
    } catch (err) {
      sendRpcV2Error(res, asAwsError(err), service, ctx.requestId);
    }
  }

  async function handleQuery(res: ServerResponse, body: string, ctx: RequestContext, signingName: string | undefined): Promise<void> {
    let namespace = UNKNOWN_QUERY_NAMESPACE;
    try {
      const request = decodeQueryBody(body);
      const service =
        (signingName ? bySigningName.get(signingName) : undefined) ??
        (request.version ? byQueryVersion.get(request.version) : undefined);
      if (!service) {
        throw new AwsError('UnknownOperationException', `awsQuery action ${request.action} (version ${request.version ?? 'none'}) names no emulated service`);
      }
      namespace = service.xmlNamespace ?? namespace;
      // Operations written against another protocol get typed values; awsQuery services' own operations read the text.
      const inputShape = service.protocol === 'awsQuery' ? undefined : service.model?.input(request.action);
      const input = inputShape ? typeQueryInput(request.params, inputShape) : request.params;
      const output = await run(service, request.action, input, ctx);
      const outputShape = service.model?.output(request.action);
      const resultXml = outputShape?.type === 'unit' ? undefined : outputShape ? shapedXml(output, outputShape) : toXml(output);
      send(res, 200, 'text/xml', encodeQueryResponse(request.action, namespace, resultXml, ctx.requestId));
    } catch (err) {
      const awsErr = asAwsError(err);
      send(res, awsErr.status, 'text/xml', encodeQueryError(awsErr, namespace, ctx.requestId));
    }
  }

  async function run(service: EmulatedService, operation: string, input: unknown, ctx: RequestContext): Promise<unknown> {
    let failed = true;
    try {
      const output = await service.invoke(operation, input, ctx);
      failed = false;
      if (!isReadOnlyOperation(operation)) options.afterWrite();
      return output;
    } finally {
      options.callLog.record(service.name, operation, failed);
    }
  }

  return server;
}

/** A bug in an operation becomes an AWS-shaped 500 that says so, never a crash. */
function asAwsError(err: unknown): AwsError {
  if (err instanceof AwsError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new AwsError('InternalFailure', `the emulator failed to handle the request: ${message}`, { status: 500 });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

class BodyTooLargeError extends Error {}

const gunzipAsync = promisify(gunzip);

/**
 * Reads the body, inflating it when it is gzip-encoded: clients compress
 * operations with the requestCompression trait (CloudWatch PutMetricData)
 * once their bodies pass 10 KiB.
 */
async function readBody(req: IncomingMessage): Promise<Buffer> {
  const raw = await readRawBody(req);
  const encoding = (header(req, 'content-encoding') ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return raw;
  if (encoding !== 'gzip') {
    throw new AwsError('SerializationException', `Content-Encoding ${encoding} is not supported by the emulator; send gzip or no encoding`, { status: 415 });
  }
  try {
    return await gunzipAsync(raw, { maxOutputLength: MAX_BODY_BYTES });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new BodyTooLargeError(`the request body exceeds ${MAX_BODY_BYTES} bytes (10 MiB) once decompressed`);
    }
    throw new AwsError('SerializationException', `the request body is not valid gzip: ${(err as Error).message}`);
  }
}

/**
 * Reads the body as sent. One over the limit is read to its end but not kept:
 * a client still sending when the connection closes would see a reset, not
 * the 413 that says what was wrong.
 */
function readRawBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) reject(new BodyTooLargeError(`the request body exceeds ${MAX_BODY_BYTES} bytes (10 MiB)`));
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, contentType: string | undefined, body: string | Uint8Array, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...(contentType ? { 'content-type': contentType } : {}), 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/**
 * An rpc-v2-cbor error: `__type` is the error's shape id in the service's
 * model. A service that also answers awsQuery is awsQueryCompatible, so
 * x-amzn-query-error carries the awsQuery code clients map exceptions by.
 */
function sendRpcV2Error(res: ServerResponse, err: AwsError, service: EmulatedService | undefined, requestId: string): void {
  const headers: Record<string, string> = { [SMITHY_PROTOCOL_HEADER]: RPC_V2_CBOR, 'x-amzn-RequestId': requestId };
  if (service && serves(service, 'awsQuery')) headers['x-amzn-query-error'] = `${err.code};${err.fault}`;
  send(res, err.status, CBOR_CONTENT_TYPE, encodeRpcV2Error(err, service?.model?.errorShapeId(err.code) ?? err.code), headers);
}

function sendJsonError(res: ServerResponse, contentType: string, err: AwsError, headers: Record<string, string>): void {
  send(res, err.status, contentType, encodeJsonError(err), { ...headers, 'x-amzn-ErrorType': err.code });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json', JSON.stringify(value));
}

function sendPlain(res: ServerResponse, status: number, text: string): void {
  send(res, status, 'text/plain', text);
}

export function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}
