import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A listener port that could not be bound, with the system's reason (EACCES, EADDRINUSE...). */
export class ListenerBindError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly code: string,
    readonly listenerPort: number,
  ) {
    super(`cannot listen on ${host}:${port} (${code})`);
    this.name = 'ListenerBindError';
  }
}

export interface BoundListener {
  readonly server: Server;
  /** The local port actually bound. */
  readonly localPort: number;
  close(): Promise<void>;
}

/** Binds an HTTP server for one listener; rejects with ListenerBindError. */
export function bindListenerServer(
  host: string,
  localPort: number,
  listenerPort: number,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<BoundListener> {
  const server = createServer(handler);
  // ALB's default client keep-alive is long; node's 5 s default would drop pooled client sockets early.
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(new ListenerBindError(host, localPort, err.code ?? err.message, listenerPort));
    });
    server.listen(localPort, host, () => {
      server.removeAllListeners('error');
      server.on('error', () => {});
      resolve({
        server,
        localPort: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
