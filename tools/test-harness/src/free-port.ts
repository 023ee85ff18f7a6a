import { createServer } from 'node:net';

/**
 * Asks the kernel for a free TCP port on `host` by binding port 0, then releases it.
 * Another process could take the port between this call and its use; callers that start a
 * server on it retry on `EADDRINUSE`.
 * @param host the interface to probe (default `127.0.0.1`)
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}
