/**
 * The sample HTTP service the demo, the tests and the benchmarks deploy.
 * Node built-ins only; every behaviour is chosen by environment variables
 * (see README.md) so one program can play a good version, a crashing one, a
 * flaky one and a slow one.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { hostname } from 'node:os';

interface Settings {
  port: number;
  host: string | undefined;
  version: string;
  unhealthy: boolean;
  crashOnStart: boolean;
  failRate: number;
  latencyMs: number;
}

type Parsed = { ok: true; settings: Settings } | { ok: false; error: string };

function parseSettings(env: NodeJS.ProcessEnv): Parsed {
  const port = Number(env.PORT);
  if (env.PORT === undefined || env.PORT === '') return { ok: false, error: 'PORT is required (the port to listen on)' };
  if (!Number.isInteger(port) || port < 0 || port > 65535) return { ok: false, error: `PORT must be a port number, got "${env.PORT}"` };
  const failRate = Number(env.FAIL_RATE ?? 0);
  if (!(failRate >= 0 && failRate <= 1)) return { ok: false, error: `FAIL_RATE must be between 0 and 1, got "${env.FAIL_RATE}"` };
  const latencyMs = Number(env.LATENCY_MS ?? 0);
  if (!(latencyMs >= 0)) return { ok: false, error: `LATENCY_MS must be a non-negative number, got "${env.LATENCY_MS}"` };
  return {
    ok: true,
    settings: {
      port,
      host: env.HOST || undefined,
      version: env.VERSION || 'v1',
      unhealthy: env.UNHEALTHY === '1',
      crashOnStart: env.CRASH_ON_START === '1',
      failRate,
      latencyMs,
    },
  };
}

function fail(message: string): void {
  process.stderr.write(`sample-app: ${message}\n`, () => process.exit(1));
}

function main(): void {
  const parsed = parseSettings(process.env);
  if (!parsed.ok) return fail(parsed.error);
  const settings = parsed.settings;
  const name = `sample-app ${settings.version}`;
  if (settings.crashOnStart) return fail(`${settings.version} crashed on start (CRASH_ON_START=1)`);

  let shuttingDown = false;
  let inFlight = 0;

  const send = (res: ServerResponse, status: number, type: string, body: string): void => {
    // Once shutting down, each answer closes its connection so keep-alive clients let go.
    if (shuttingDown) res.setHeader('connection', 'close');
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  const answer = (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://sample-app').pathname;
    if (path === '/health') {
      if (settings.unhealthy) send(res, 500, 'text/plain', 'unhealthy');
      else send(res, 200, 'text/plain', 'ok');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'application/json', JSON.stringify({ error: 'method not allowed', version: settings.version }));
      return;
    }
    if (settings.failRate > 0 && Math.random() < settings.failRate) {
      send(res, 500, 'application/json', JSON.stringify({ error: 'injected failure (FAIL_RATE)', version: settings.version }));
      return;
    }
    send(res, 200, 'application/json', JSON.stringify({ version: settings.version, hostname: hostname(), pid: process.pid, path }));
  };

  const server = createServer((req, res) => {
    inFlight += 1;
    res.on('close', () => (inFlight -= 1));
    const isHealth = req.url === '/health' || req.url?.startsWith('/health?') === true;
    // Health checks answer at once, so LATENCY_MS slows the service without failing its health checks.
    if (settings.latencyMs > 0 && !isHealth) setTimeout(() => answer(req, res), settings.latencyMs);
    else answer(req, res);
  });

  server.on('error', (err) => fail(`cannot listen on port ${settings.port}: ${err.message}`));
  server.listen(settings.port, settings.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : settings.port;
    console.log(`${name} listening on port ${port} (pid ${process.pid})`);
  });

  const shutDown = (signal: NodeJS.Signals): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    console.log(`${name} shutting down on ${signal}: ${inFlight} request(s) in flight`);
    server.close(() => {
      console.log(`${name} stopped`);
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', shutDown);
  process.on('SIGINT', shutDown);
}

main();
