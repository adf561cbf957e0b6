import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import { CallLog } from '../../src/emulator/call-log.js';
import { createClock } from '../../src/emulator/clock.js';
import { createFrontDoor, listen } from '../../src/emulator/server.js';
import { createElbv2, type Elbv2 } from '../../src/emulator/services/elbv2/index.js';
import { awsClients } from '../support/clients.js';

type After = { after: (fn: () => Promise<void> | void) => void };

/** ELBv2 alone behind the front door, driven by the real SDK client. */
export async function startElbv2(t: After, options: { speed?: number; listenerPortMap?: Map<number, number>; restore?: unknown } = {}) {
  const clock = createClock(options.speed ?? 50);
  const elbv2: Elbv2 = createElbv2({ clock, host: '127.0.0.1', listenerPortMap: options.listenerPortMap ?? new Map(), markDirty: () => {}, log: () => {} });
  if (options.restore !== undefined) elbv2.state.restore(options.restore);
  await elbv2.start();
  const server = createFrontDoor({ services: [elbv2.service], callLog: new CallLog(), afterWrite: () => {} });
  const address: AddressInfo = await listen(server, 0, '127.0.0.1');
  const client = awsClients(`http://127.0.0.1:${address.port}`).elbv2;
  t.after(async () => {
    client.destroy();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await elbv2.close();
  });
  return { elbv2, client, clock };
}

/** A port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export interface Backend {
  name: string;
  port: number;
  server: Server;
  /** Status the health path answers with. */
  healthStatus: number;
  requests: IncomingMessage[];
}

/** A small target: answers its name, /health with `healthStatus`, /slow after `?ms=`. */
export async function startBackend(t: After, name: string): Promise<Backend> {
  const backend: Backend = { name, port: 0, server: undefined as unknown as Server, healthStatus: 200, requests: [] };
  backend.server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/health') {
      res.writeHead(backend.healthStatus).end();
      return;
    }
    backend.requests.push(req);
    const reply = (): void => {
      res.writeHead(200, { 'content-type': 'text/plain', 'x-backend': name });
      res.end(name);
    };
    if (url.pathname === '/slow') setTimeout(reply, Number(url.searchParams.get('ms') ?? '100'));
    else reply();
  });
  await new Promise<void>((resolve) => backend.server.listen(0, '127.0.0.1', () => resolve()));
  backend.port = (backend.server.address() as AddressInfo).port;
  t.after(
    () =>
      new Promise<void>((resolve) => {
        backend.server.close(() => resolve());
        backend.server.closeAllConnections();
      }),
  );
  return backend;
}

export function get(port: number, path = '/', headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: IncomingMessage['headers'] }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Polls `check` until it returns a value other than undefined, or fails after `ms` real milliseconds. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined> | T | undefined, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
