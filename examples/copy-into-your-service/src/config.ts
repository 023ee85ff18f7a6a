// The service's settings: one zod schema, read from the defaults, CONFIG_FILE and the
// environment (PORT, REDIS_URL, UPSTREAM_URL, RATE_LIMIT__LIMIT, …), hot-reloaded from the file.
import * as z from 'zod';
import { duration } from './vendor/config/index.ts';

export const schema = z.object({
  port: z.int().min(0).max(65_535).default(3000),
  redisUrl: z.string().default('redis://127.0.0.1:6379'),
  upstreamUrl: z.string().default('http://127.0.0.1:3001'),
  upstreamTimeoutMs: duration().default(1_000),
  /** How long the upstream's breaker stays open before a probe (UPSTREAM_BREAKER_OPEN_MS). */
  upstreamBreakerOpenMs: duration().default(30_000),
  greeting: z.string().default('hello'),
  rateLimit: z.object({
    limit: z.int().min(1).default(100),
    windowMs: duration().default(60_000),
  }),
});

export type Settings = z.infer<typeof schema>;
