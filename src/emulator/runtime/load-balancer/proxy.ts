import { randomBytes } from 'node:crypto';
import { request, type Agent, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { sendElbError } from './elb-responses.js';
import type { RequestOutcome } from './traffic-metrics.js';

/**
 * Forwards one client request to one target, streaming both bodies, the way
 * ALB does: hop-by-hop headers dropped, X-Forwarded-* and X-Amzn-Trace-Id
 * added, 502 when the target refuses or resets the connection before
 * answering, 504 when it is silent for longer than the idle timeout.
 */

const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection',
  'te', 'trailer', 'transfer-encoding', 'upgrade',
]);

/** Headers minus hop-by-hop ones, including those the Connection header names. */
export function endToEndHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name)) continue;
    out[name] = value;
  }
  return out;
}

export function forwardedHeaders(
  headers: IncomingHttpHeaders,
  client: { address: string | undefined; listenerPort: number },
): Record<string, string | string[]> {
  const out = endToEndHeaders(headers);
  const clientIp = (client.address ?? '').replace(/^::ffff:/, '');
  const previous = headers['x-forwarded-for'];
  out['x-forwarded-for'] = previous ? `${String(previous)}, ${clientIp}` : clientIp;
  out['x-forwarded-proto'] = 'http';
  out['x-forwarded-port'] = String(client.listenerPort);
  if (!headers['x-amzn-trace-id']) {
    const epochHex = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
    out['x-amzn-trace-id'] = `Root=1-${epochHex}-${randomBytes(12).toString('hex')}`;
  }
  return out;
}

export interface ProxyTarget {
  host: string;
  port: number;
  agent: Agent;
}

export interface ProxyOptions {
  listenerPort: number;
  /** Real milliseconds of silence from the target after which the client gets a 504. */
  idleTimeoutRealMs: number;
  /** Milliseconds, for response times: the emulator passes its virtual clock. */
  now: () => number;
}

/** Proxies the request; resolves with its outcome once the exchange is over. */
export function proxyRequest(
  req: IncomingMessage,
  res: ServerResponse,
  target: ProxyTarget,
  options: ProxyOptions,
): Promise<RequestOutcome> {
  return new Promise((resolve) => {
    const started = options.now();
    let settled = false;
    const finish = (outcome: RequestOutcome): void => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const fail = (status: 502 | 504, connectionError: boolean): void => {
      const answered = res.headersSent;
      sendElbError(res, status);
      finish(answered ? { kind: 'target', status: res.statusCode, responseSeconds: elapsed() } : { kind: 'elb', status, connectionError });
    };
    const elapsed = (): number => (options.now() - started) / 1000;

    const upstream = request({
      host: target.host,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: forwardedHeaders(req.headers, { address: req.socket.remoteAddress, listenerPort: options.listenerPort }),
      agent: target.agent,
    });
    upstream.setTimeout(options.idleTimeoutRealMs, () => {
      if (settled) return;
      upstream.destroy();
      fail(504, false);
    });
    upstream.on('error', () => {
      if (!settled) fail(502, true);
    });
    upstream.on('response', (answer: IncomingMessage) => {
      const status = answer.statusCode ?? 502;
      const seconds = elapsed();
      res.writeHead(status, answer.statusMessage, endToEndHeaders(answer.headers));
      answer.pipe(res);
      answer.on('end', () => finish({ kind: 'target', status, responseSeconds: seconds }));
      answer.on('error', () => {
        res.destroy();
        finish({ kind: 'target', status, responseSeconds: seconds });
      });
    });
    // A client that goes away takes its upstream request with it.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
      finish({ kind: 'elb', status: 460 });
    });
    req.pipe(upstream);
  });
}
