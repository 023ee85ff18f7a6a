import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, ValuesSource, type Config, type ConfigSource } from '@shipshape/config';
import { createHealth, createLogger, MetricsRegistry } from '@shipshape/observability';
import { RedisRateLimiter, rateLimitRedisOptions } from '@shipshape/resilience';
import { Redis } from 'ioredis';
import { afterEach } from 'vitest';
import { createApp } from '../app.ts';
import { configSchema } from '../config.ts';
import { PaymentRepository } from '../storage/payment-repository.ts';
import type { PaymentProcessor } from '../processor/payment-processor.ts';

/** A running app on 127.0.0.1 with its collaborators, for assertions. */
export interface RunningApp {
  readonly url: string;
  readonly redis: Redis;
  readonly config: Config<typeof configSchema>;
  readonly metrics: MetricsRegistry;
  readonly server: Server;
}

/** Options of {@link useApp}'s starter. */
export interface StartAppOptions {
  /** Config values (nested like the schema) on top of the defaults. @default {} */
  values?: object;
  /** Extra config sources above `values` (e.g. a RedisSource). @default [] */
  sources?: ConfigSource[];
  /** Attach a Redis rate limiter following `rateLimit.*`. @default false */
  rateLimit?: boolean;
  /** The processor. @default the simulated one, following `chaos.*` */
  processor?: PaymentProcessor;
  /** The repository's wait for a concurrent request with the same key, in ms. @default 10_000 */
  waitTimeoutMs?: number;
}

/**
 * Registers cleanup and returns a starter: each call builds `createApp` against the harness
 * Redis and listens on 127.0.0.1:0; everything is closed after each test.
 */
export function useApp(redisUrl: () => string): (options?: StartAppOptions) => Promise<RunningApp> {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return async (options = {}) => {
    const config = await loadConfig({
      schema: configSchema,
      sources: [new ValuesSource({ values: options.values ?? {} }), ...(options.sources ?? [])],
      watch: (options.sources ?? []).length > 0,
      env: {},
    });
    cleanups.push(() => config.close());
    const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
    redis.on('error', () => {});
    cleanups.push(() => redis.quit().catch(() => {}));
    const metrics = new MetricsRegistry({ service: 'payment', defaultMetrics: false });
    const logger = createLogger({ service: 'payment', level: 'silent' });
    const health = createHealth({ checks: { redis: () => redis.ping() }, cacheMs: 0, timeoutMs: 500 });
    let rateLimiter: RedisRateLimiter | undefined;
    if (options.rateLimit) {
      const limiterClient = new Redis(redisUrl(), rateLimitRedisOptions());
      limiterClient.on('error', () => {});
      await once(limiterClient, 'ready');
      cleanups.push(() => limiterClient.quit().catch(() => {}));
      const { limit, windowMs } = config.get().rateLimit;
      rateLimiter = new RedisRateLimiter({
        client: limiterClient,
        name: `test-${crypto.randomUUID()}`,
        algorithm: 'fixed-window',
        limit,
        windowMs,
      });
    }
    const app = createApp({
      repository: new PaymentRepository({
        redis,
        ...(options.waitTimeoutMs === undefined ? {} : { waitTimeoutMs: options.waitTimeoutMs }),
      }),
      processor: options.processor,
      config,
      metrics,
      logger,
      health,
      rateLimiter,
    });
    const server = createServer(app);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanups.push(async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close').catch(() => {});
    });
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, redis, config, metrics, server };
  };
}

/** A parsed response body with the fields the tests read (everything else `unknown`). */
export interface TestBody {
  [key: string]: unknown;
  code?: string;
  errors?: { path: string; message: string }[];
  id?: string;
  status?: unknown;
  items?: { id: string }[];
  openapi?: string;
  paths?: Record<string, unknown>;
  checks?: Record<string, { status: string }>;
  redisUrl?: { value: unknown };
}

/** Sends JSON (or a raw string body) and returns status, headers and the parsed body (`{}` if not JSON). */
export async function send(
  url: string,
  init: { method?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: TestBody; text: string }> {
  const hasBody = init.body !== undefined || init.raw !== undefined;
  const response = await fetch(url, {
    method: init.method ?? (hasBody ? 'POST' : 'GET'),
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
  const text = await response.text();
  let body: TestBody = {};
  try {
    body = JSON.parse(text) as TestBody;
  } catch {
    // Not JSON (a 1 MB echo, an HTML error page): tests assert on status and `text` instead.
  }
  return { status: response.status, headers: response.headers, body, text };
}
