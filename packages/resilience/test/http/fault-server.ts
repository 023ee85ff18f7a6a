// A real HTTP server on a loopback address whose behaviour each test sets: answer, fail with a
// status, hang, answer slowly, reset the connection after the headers, or stop listening.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server does with the next requests. */
export type Fault =
  | { kind: 'ok'; status?: number; body?: unknown; delayMs?: number }
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  | { kind: 'hang' }
  | { kind: 'reset' };

/** One request as the server saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** performance.now() when the request arrived. */
  at: number;
  /** True when the client went away before the answer was complete (a cancelled attempt). */
  aborted: boolean;
}

export interface FaultServer {
  readonly host: string;
  readonly port: number;
  /** `http://host:port`. */
  readonly url: string;
  /** `host:port`, as the client names endpoints. */
  readonly key: string;
  readonly requests: SeenRequest[];
  /** Sets the behaviour, fixed or per request. */
  fault(fault: Fault | ((request: SeenRequest) => Fault)): void;
  /** Stops listening and drops every open connection (later connects are refused). */
  stop(): Promise<void>;
  /** Listens again on the same address and port. */
  start(): Promise<void>;
}

/** Starts a fault server; `close` it with `stop()` in `afterEach`/`afterAll`. */
export async function startFaultServer(
  options: { host?: string; port?: number; name?: string } = {},
): Promise<FaultServer> {
  const host = options.host ?? '127.0.0.1';
  let behaviour: (request: SeenRequest) => Fault = () => ({ kind: 'ok' });
  const requests: SeenRequest[] = [];
  let server: Server = make();
  let port = await listen(server, host, options.port ?? 0);
  const name = options.name ?? `${host}:${port}`;

  function make(): Server {
    return createServer((req, res) => {
      const at = performance.now();
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const seen: SeenRequest = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString(),
          at,
          aborted: false,
        };
        res.on('close', () => {
          if (!res.writableFinished) seen.aborted = true;
        });
        requests.push(seen);
        respond(behaviour(seen), res, seen);
      });
    });
  }

  function respond(fault: Fault, res: ServerResponse, seen: SeenRequest): void {
    switch (fault.kind) {
      case 'ok': {
        const send = (): void =>
          json(res, fault.status ?? 200, fault.body ?? { server: name, path: seen.path }, {});
        if (fault.delayMs) setTimeout(send, fault.delayMs);
        else send();
        return;
      }
      case 'status':
        json(res, fault.status, fault.body ?? { code: `status_${fault.status}` }, fault.headers ?? {});
        return;
      case 'hang':
        return;
      case 'reset':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"partial":');
        setTimeout(() => res.socket?.destroy(), 5);
        return;
    }
  }

  return {
    host,
    get port() {
      return port;
    },
    get url() {
      return `http://${host}:${port}`;
    },
    get key() {
      return `${host}:${port}`;
    },
    requests,
    fault(fault) {
      behaviour = typeof fault === 'function' ? fault : () => fault;
    },
    async stop() {
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
    async start() {
      if (server.listening) return;
      server = make();
      port = await listen(server, host, port);
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const text = JSON.stringify(body);
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
