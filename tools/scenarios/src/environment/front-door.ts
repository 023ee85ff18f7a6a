import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Options of {@link startFrontDoor}. */
export interface FrontDoorOptions {
  /** Base URLs of the replicas behind it (`http://127.0.0.1:<port>`). */
  readonly backends: readonly string[];
  /**
   * How often each backend's `GET /ready` is polled, in ms; a backend answering anything but 200
   * leaves the rotation until it answers 200 again.
   * @default 250
   */
  readonly readinessIntervalMs?: number;
}

/** Counters of a front door. */
export interface FrontDoorStats {
  /** Requests forwarded, per backend URL. */
  readonly forwarded: Readonly<Record<string, number>>;
  /** Requests answered 502 because the backend connection failed. */
  readonly upstreamErrors: number;
  /** Requests answered 503 because no backend was in rotation. */
  readonly noBackend: number;
}

/**
 * A readiness-following round-robin HTTP balancer on 127.0.0.1, what a Kubernetes Service (or a
 * load balancer with health checks) is to the replicas: only backends that are in rotation get
 * new requests. {@link drain} takes one out before it is stopped — the endpoint removal that
 * precedes SIGTERM in Kubernetes — and {@link undrain} puts it back. It never retries: a request
 * that fails upstream is answered 502, so the client sees every failure.
 */
export interface FrontDoor {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Takes `backend` out of the rotation (in-flight requests finish). */
  drain(backend: string): void;
  /** Puts `backend` back (it still needs `GET /ready` 200). */
  undrain(backend: string): void;
  stats(): FrontDoorStats;
  close(): Promise<void>;
}

interface Backend {
  readonly url: URL;
  drained: boolean;
  ready: boolean;
  forwarded: number;
}

/** Starts a {@link FrontDoor} on a free 127.0.0.1 port. */
export async function startFrontDoor(options: FrontDoorOptions): Promise<FrontDoor> {
  const backends: Backend[] = options.backends.map((url) => ({
    url: new URL(url),
    drained: false,
    ready: true,
    forwarded: 0,
  }));
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  let turn = 0;
  let upstreamErrors = 0;
  let noBackend = 0;

  const next = (): Backend | undefined => {
    for (let i = 0; i < backends.length; i++) {
      const backend = backends[turn++ % backends.length]!;
      if (!backend.drained && backend.ready) return backend;
    }
    return undefined;
  };

  const answer = (res: ServerResponse, status: number, code: string, detail: string): void => {
    res.writeHead(status, { 'content-type': 'application/problem+json' });
    res.end(JSON.stringify({ type: 'about:blank', title: detail, status, detail, code }));
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const backend = next();
    if (!backend) {
      noBackend++;
      answer(res, 503, 'no_backend', 'no replica is in rotation');
      return;
    }
    backend.forwarded++;
    const upstream = request(
      {
        host: backend.url.hostname,
        port: backend.url.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    upstream.on('error', () => {
      upstreamErrors++;
      if (!res.headersSent) answer(res, 502, 'upstream_error', 'the replica did not answer');
      else res.destroy();
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const interval = options.readinessIntervalMs ?? 250;
  const poll = async (backend: Backend): Promise<void> => {
    try {
      const response = await fetch(new URL('/ready', backend.url), {
        signal: AbortSignal.timeout(interval * 4),
      });
      await response.body?.cancel();
      backend.ready = response.status === 200;
    } catch {
      backend.ready = false;
    }
  };
  const timer = setInterval(() => void Promise.all(backends.map(poll)), interval);

  const find = (url: string): Backend => {
    const backend = backends.find((b) => b.url.origin === new URL(url).origin);
    if (!backend) throw new RangeError(`the front door has no backend ${url}`);
    return backend;
  };
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    drain: (url) => void (find(url).drained = true),
    undrain: (url) => void (find(url).drained = false),
    stats: () => ({
      forwarded: Object.fromEntries(backends.map((b) => [b.url.origin, b.forwarded])),
      upstreamErrors,
      noBackend,
    }),
    close() {
      closing ??= (async () => {
        clearInterval(timer);
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        agent.destroy();
      })();
      return closing;
    },
  };
}
