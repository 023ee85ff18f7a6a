import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

/** How the fake user service answers one `GET /users/:id`. */
export type UpstreamAnswer =
  /** 200 for a known id, 404 problem otherwise (the real user service's answers). */
  | 'normal'
  /** This status with a problem body. */
  | number
  /** Never answers (until the connection closes): the client's timeouts must cut it. */
  | 'hang'
  /** Destroys the socket without an answer. */
  | 'reset';

/**
 * A real HTTP server on 127.0.0.1 standing in for the user service, for fault injection: it
 * counts requests, records their headers, answers as `answer` says, and can be stopped (then
 * connections are refused) and restarted on the same port.
 */
export class UserUpstream {
  /** Ids answered 200 in `normal` mode. */
  readonly known = new Set<string>();
  /** Requests received since start. */
  hits = 0;
  /** Headers of every request received, oldest first. */
  readonly headers: IncomingHttpHeaders[] = [];
  /** Method and path of every request received, oldest first (`GET /users/u-1`). */
  readonly requests: string[] = [];
  /** The answer to the next requests (change it at any time). */
  answer: UpstreamAnswer = 'normal';
  readonly #server = createServer((req, res) => {
    this.requests.push(`${req.method} ${req.url}`);
    this.#handle(req.url ?? '/', req.headers, res);
  });
  #port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** Listens on 127.0.0.1 (on the previous port after a {@link stop}). */
  async start(): Promise<void> {
    this.#server.listen(this.#port, '127.0.0.1');
    await once(this.#server, 'listening');
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  /** Closes the listener and every connection: the next calls are refused. */
  async stop(): Promise<void> {
    if (!this.#server.listening) return;
    const closed = once(this.#server, 'close');
    this.#server.close();
    this.#server.closeAllConnections();
    await closed;
  }

  #handle(url: string, headers: IncomingHttpHeaders, res: ServerResponse): void {
    this.hits += 1;
    this.headers.push(headers);
    const answer = this.answer;
    if (answer === 'hang') return;
    if (answer === 'reset') {
      res.socket?.destroy();
      return;
    }
    const match = /^\/users\/([^/?]+)$/.exec(url);
    const id = match ? decodeURIComponent(match[1]!) : undefined;
    const status = answer === 'normal' ? (id !== undefined && this.known.has(id) ? 200 : 404) : answer;
    const body = status === 200 ? { id, email: `${id}@example.com`, name: id } : { status, code: 'fake' };
    res.writeHead(status, {
      'content-type': status === 200 ? 'application/json' : 'application/problem+json',
    });
    res.end(JSON.stringify(body));
  }
}

/** Returns a starter of {@link UserUpstream}s; each one is stopped after the test. */
export function useUserUpstream(): () => Promise<UserUpstream> {
  const started: UserUpstream[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((upstream) => upstream.stop()));
  });
  return async () => {
    const upstream = new UserUpstream();
    await upstream.start();
    started.push(upstream);
    return upstream;
  };
}
