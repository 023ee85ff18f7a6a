import { replayDeadLetters, targetEnvironment } from '@shipshape/scenarios';
import { isInvalidOverridesError } from '@shipshape/stack';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConsoleInfo, ServiceId, StreamEvents } from '../shared/console-state.ts';
import { ChaosControl, chaosKeys } from './chaos-control.ts';
import { ExperimentRequestError, ExperimentRunner } from './experiment-runner.ts';
import { LoadControl, LoadRequestError } from './load-control.ts';
import { RequestGuard, type Refusal } from './request-guard.ts';
import { Scraper } from './scraper.ts';
import { defaultWebDirectory, securityHeaders, serveStatic } from './static-files.ts';

/** Options of {@link startConsole}. */
export interface ConsoleOptions {
  /** Base URLs of every replica per service. */
  readonly urls: Readonly<Record<ServiceId, readonly string[]>>;
  /** The system's Redis: runtime settings (chaos) and the dead-letter replay. @default none: those controls are off */
  readonly redisUrl?: string;
  /** The system's admin token (`ADMIN__TOKEN`): the page must send it for every control. @default none: read-only */
  readonly adminToken?: string;
  /** Address to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /** Port. @default 3100; 0 picks a free one */
  readonly port?: number;
  /**
   * More names the console answers to (`Host` without the port), for a console listening beyond
   * 127.0.0.1 (`host: '0.0.0.0'`): the machine's name or address as the browser uses it.
   * @default none: the listen address, 127.0.0.1, localhost and [::1]
   */
  readonly allowedHosts?: readonly string[];
  /** Grafana base URL for the experiments' links. @default none */
  readonly grafanaUrl?: string;
  /** Jaeger UI base URL for the experiments' links. @default none */
  readonly jaegerUrl?: string;
  /** Scrape interval, ms. @default 1_000 */
  readonly scrapeIntervalMs?: number;
  /** Folder of the built page. @default this package's dist/web */
  readonly webDirectory?: string;
}

/** A running console. */
export interface ConsoleServer {
  /** `http://127.0.0.1:3100` */
  readonly url: string;
  /** Stops the scraper, a running load and experiment, closes streams and the listener. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Default port of the console. */
export const defaultConsolePort = 3100;

class BadRequest extends Error {}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 16_384) throw new BadRequest('body too large');
    chunks.push(chunk);
  }
  try {
    const value = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new BadRequest('expected an object');
    return value as Record<string, unknown>;
  } catch (error) {
    throw error instanceof BadRequest ? error : new BadRequest('invalid JSON');
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      ...securityHeaders,
    })
    .end(JSON.stringify(body));
}

const refuse = (res: ServerResponse, r: Refusal): void =>
  send(res, r.status, { code: r.code, message: r.message });

function serviceOf(body: Record<string, unknown>): ServiceId {
  const service = body['service'];
  if (service !== 'user' && service !== 'order' && service !== 'payment')
    throw new BadRequest('service must be user, order or payment');
  return service;
}

/**
 * Starts the experiment console: an HTTP server on 127.0.0.1 (by default) serving the page,
 * a Server-Sent Events stream of the system's state (scraped from every replica's `/metrics`
 * each second) and the controls (chaos, load, dead-letter replay, experiments), which need the
 * system's admin token and the page's own origin.
 */
export async function startConsole(options: ConsoleOptions): Promise<ConsoleServer> {
  const host = options.host ?? '127.0.0.1';
  const streams = new Set<ServerResponse>();
  const broadcast = <K extends keyof StreamEvents>(event: K, data: StreamEvents[K]): void => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of streams) res.write(frame);
  };

  const environment = targetEnvironment({
    urls: {
      user: [...options.urls.user],
      order: [...options.urls.order],
      payment: [...options.urls.payment],
    },
    ...(options.redisUrl === undefined ? {} : { redisUrl: options.redisUrl }),
    ...(options.adminToken === undefined ? {} : { adminToken: options.adminToken }),
  });
  const chaos = options.redisUrl === undefined ? undefined : new ChaosControl(environment, options.redisUrl);
  const scraper = new Scraper({
    urls: options.urls,
    ...(options.scrapeIntervalMs === undefined ? {} : { intervalMs: options.scrapeIntervalMs }),
  });
  const load = new LoadControl(options.urls, (status) => broadcast('load', status));
  const experiments = new ExperimentRunner({
    target: environment,
    onChange: (runs) => broadcast('experiments', runs),
    // While a private run is up, the topology follows its system (the page says so).
    onPrivateSystem: (system) => scraper.follow(system?.urls, system?.name),
    ...(options.grafanaUrl === undefined ? {} : { grafanaUrl: options.grafanaUrl }),
    ...(options.jaegerUrl === undefined ? {} : { jaegerUrl: options.jaegerUrl }),
  });
  let chaosShown = '';
  scraper.subscribe((snapshot) => {
    broadcast('snapshot', snapshot);
    void chaos?.current().then(
      (current) => {
        const text = JSON.stringify(current);
        if (text !== chaosShown) broadcast('chaos', current);
        chaosShown = text;
      },
      () => undefined,
    );
  });
  const info = (): ConsoleInfo => ({
    controlsConfigured: options.adminToken !== undefined,
    redisConfigured: options.redisUrl !== undefined,
    scenarios: ExperimentRunner.list(),
    chaosKeys,
    ...(options.grafanaUrl === undefined ? {} : { grafanaUrl: options.grafanaUrl }),
    ...(options.jaegerUrl === undefined ? {} : { jaegerUrl: options.jaegerUrl }),
  });

  const needRedis = (): ChaosControl => {
    if (!chaos) throw new BadRequest('the console was started without the system Redis (--redis-url)');
    return chaos;
  };

  const controls: Record<string, (body: Record<string, unknown>) => Promise<unknown>> = {
    // Lets the page check its token: reaching this handler means the guard accepted it.
    '/api/session': () => Promise.resolve({ ok: true }),
    '/api/chaos': async (body) => {
      const service = serviceOf(body);
      const values = body['values'];
      if (typeof values !== 'object' || values === null) throw new BadRequest('values must be an object');
      const numbers: Record<string, number> = {};
      for (const [key, value] of Object.entries(values)) {
        if (!chaosKeys[service].includes(key)) throw new BadRequest(`${service} has no chaos key "${key}"`);
        if (typeof value !== 'number') throw new BadRequest(`${key} must be a number`);
        numbers[key] = value;
      }
      await needRedis().set(service, numbers);
      return { service, set: numbers };
    },
    '/api/chaos/reset': async (body) => {
      const service = serviceOf(body);
      await needRedis().reset(service);
      return { service, reset: true };
    },
    '/api/load': (body) => {
      load.start(Number(body['rate']), Number(body['durationSeconds']));
      return Promise.resolve(load.status);
    },
    '/api/load/stop': () => {
      load.stop();
      return Promise.resolve({ stopping: true });
    },
    '/api/dead-letters/replay': async () => {
      needRedis();
      await replayDeadLetters(options.redisUrl!);
      return { replayed: true };
    },
    '/api/experiments': (body) => {
      const where = body['where'] === 'target' ? 'target' : 'private';
      const scenario = typeof body['scenario'] === 'string' ? body['scenario'] : '';
      const id = experiments.start(scenario, { short: body['short'] !== false, where });
      return Promise.resolve({ id });
    },
    '/api/experiments/stop': () => {
      experiments.stop();
      return Promise.resolve({ stopping: true });
    },
  };

  const openStream = (res: ServerResponse): void => {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      ...securityHeaders,
    });
    res.write('retry: 1000\n\n');
    streams.add(res);
    res.on('close', () => streams.delete(res));
    const first = (event: string, data: unknown): void =>
      void res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    if (scraper.latest) first('snapshot', scraper.latest);
    first('load', load.status);
    first('experiments', experiments.experiments);
    if (chaosShown) first('chaos', JSON.parse(chaosShown));
  };

  const guarded: { guard?: RequestGuard } = {};
  const server = createServer((req, res) => {
    void (async () => {
      const refusedHost = guarded.guard!.checkHost(req);
      if (refusedHost) return refuse(res, refusedHost);
      const path = new URL(req.url ?? '/', 'http://console').pathname;
      if (req.method === 'GET' || req.method === 'HEAD') {
        if (path === '/api/info') return send(res, 200, info());
        if (path === '/api/stream') return openStream(res);
        if (path.startsWith('/api/')) return send(res, 404, { code: 'not_found', message: path });
        return serveStatic(options.webDirectory ?? defaultWebDirectory, path, res);
      }
      const control = controls[path];
      if (req.method !== 'POST' || !control)
        return send(res, req.method === 'POST' ? 404 : 405, {
          code: 'not_found',
          message: `${req.method} ${path}`,
        });
      const refused = guarded.guard!.checkControl(req);
      if (refused) return refuse(res, refused);
      try {
        send(res, 200, await control(await readJson(req)));
      } catch (error) {
        if (error instanceof BadRequest)
          return send(res, 400, { code: 'bad_request', message: error.message });
        if (isInvalidOverridesError(error))
          return send(res, 400, { code: 'invalid_settings', message: error.message });
        if (error instanceof LoadRequestError || error instanceof ExperimentRequestError)
          return send(res, 409, { code: error.code, message: error.message });
        send(res, 502, { code: 'control_failed', message: (error as Error).message });
      }
    })().catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { code: 'internal', message: (error as Error).message });
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? defaultConsolePort, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostNames = new Set([
    host.includes(':') ? `[${host}]` : host,
    '127.0.0.1',
    'localhost',
    '[::1]',
    ...(options.allowedHosts ?? []),
  ]);
  guarded.guard = new RequestGuard({
    hosts: [...hostNames].map((h) => `${h}:${port}`),
    adminToken: options.adminToken,
  });
  scraper.start();
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      scraper.stop();
      load.stop();
      experiments.stop();
      for (const res of streams) res.end();
      await experiments.settled();
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // idle keep-alive connections would hold the close for seconds
      await closing;
      await (chaos?.close() ?? environment.close());
    })());
  return { url, close, [Symbol.asyncDispose]: close };
}
