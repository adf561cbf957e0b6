import { createServer } from 'node:net';

/**
 * A free TCP port on `host`, found by binding port 0 and closing again. Another
 * process could take it before the task binds it; on one laptop that race is
 * rare enough, and the task then fails to start as it would on a busy host.
 */
export function allocatePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error(`could not allocate a port on ${host}`))));
    });
  });
}
