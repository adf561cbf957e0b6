import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CallLog } from './call-log.js';
import { AwsError } from './errors.js';
import { decodeJsonBody, encodeJsonBody, encodeJsonError, jsonContentType, parseJsonTarget } from './protocol/json.js';
import { decodeQueryBody, encodeQueryError, encodeQueryResponse } from './protocol/query.js';
import { matchPath, restJsonError, type RestResponse, type RestRoute } from './protocol/rest-json.js';
import { parseAuthorization, type RequestContext } from './request-context.js';
import { isReadOnlyOperation, type EmulatedService } from './service.js';

const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** The XML namespace of an awsQuery error whose service is not known. */
const UNKNOWN_QUERY_NAMESPACE = 'https://ecs-rollout.invalid/unknown-service';

/** Paths of the emulator's own endpoints, beside the AWS APIs. */
export const STATS_PATH = '/_emulator/stats';
export const HEALTH_PATH = '/_emulator/health';

export interface FrontDoorOptions {
  services: readonly EmulatedService[];
  callLog: CallLog;
  /** Runs after every successful write operation, before the response is sent. */
  afterWrite: () => void;
}

/**
 * The one HTTP port every emulated service is served on. It finds the service
 * and operation from the protocol (X-Amz-Target for awsJson, Action= for
 * awsQuery), runs it, and renders results and errors in that protocol.
 */
export function createFrontDoor(options: FrontDoorOptions): Server {
  const byTarget = new Map<string, EmulatedService>();
  const bySigningName = new Map<string, EmulatedService>();
  const byQueryVersion = new Map<string, EmulatedService>();
  const restRoutes: Array<{ service: EmulatedService; route: RestRoute }> = [];
  for (const service of options.services) {
    for (const route of service.routes ?? []) restRoutes.push({ service, route });
    if (service.targetPrefix) byTarget.set(service.targetPrefix, service);
    if (service.protocol === 'awsQuery') {
      bySigningName.set(service.signingName, service);
      if (service.queryVersion) byQueryVersion.set(service.queryVersion, service);
    }
  }

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
    if (req.method === 'GET' && path === HEALTH_PATH) return sendJson(res, 200, { status: 'ok' });

    const requestId = randomUUID();
    const auth = parseAuthorization(header(req, 'authorization'));
    const ctx: RequestContext = { account: auth.account, region: auth.region, requestId };
    const target = header(req, 'x-amz-target');
    const contentType = header(req, 'content-type') ?? '';
    let body: string;
    try {
      body = await readBody(req);
    } catch (err) {
      if (!(err instanceof BodyTooLargeError)) return void res.destroy();
      const tooLarge = new AwsError('RequestEntityTooLarge', err.message, { status: 413 });
      if (!target && contentType.startsWith('application/x-www-form-urlencoded')) {
        return send(res, tooLarge.status, 'text/xml', encodeQueryError(tooLarge, UNKNOWN_QUERY_NAMESPACE, requestId));
      }
      return sendJsonError(res, 'application/x-amz-json-1.1', tooLarge, { 'x-amzn-RequestId': requestId });
    }

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
      `no emulated AWS operation at ${req.method} ${path}: send awsJson (X-Amz-Target) or awsQuery (Action=) requests to POST /, or Lambda's REST paths under /2015-03-31/functions`,
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
      const output = await run(service, request.action, request.params, ctx);
      send(res, 200, 'text/xml', encodeQueryResponse(request.action, namespace, output, ctx.requestId));
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

/**
 * Reads the body. One over the limit is read to its end but not kept: a
 * client still sending when the connection closes would see a reset, not
 * the 413 that says what was wrong.
 */
function readBody(req: IncomingMessage): Promise<string> {
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
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
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
