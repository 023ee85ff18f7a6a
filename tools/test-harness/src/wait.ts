import { connect } from 'node:net';

/**
 * Sends one inline Redis command over a raw socket and resolves with the first reply line, or
 * `undefined` when the connection is refused, reset or gets no answer within `timeoutMs`.
 * Raw on purpose: the harness must not depend on the client library under test.
 */
export function redisPing(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    let reply = '';
    const done = (value: string | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      const end = reply.indexOf('\r\n');
      if (end >= 0) done(reply.slice(0, end));
    });
    socket.once('error', () => done(undefined));
  });
}

/**
 * Polls `check` every `intervalMs` until it returns true, failing after `timeoutMs` with an
 * error that names `what`.
 */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  { timeoutMs = 10_000, intervalMs = 25 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
