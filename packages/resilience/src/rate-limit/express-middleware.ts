import { rateLimitHeaders } from './ratelimit-headers.ts';
import type { RateLimitDecision } from './rate-limiter.ts';

/**
 * The request fields the middleware reads. Structural, so express (4 or 5) or plain
 * `node:http` requests fit and express is never imported at runtime.
 */
export interface RateLimitRequest {
  /** Express's client address (honours `trust proxy`). */
  readonly ip?: string | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly socket?: { readonly remoteAddress?: string | undefined } | undefined;
}

/** The response methods the middleware uses (node's ServerResponse API, which express extends). */
export interface RateLimitResponse {
  statusCode: number;
  readonly headersSent?: boolean;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
}

/** The limiter fields the middleware reads; every limiter in this package fits. */
export interface MiddlewareLimiter {
  readonly windowMs: number;
  consume(key: string, cost?: number): Promise<RateLimitDecision>;
}

/** Where the rate-limit key comes from. */
export type RateLimitKeySource =
  'ip' | { header: string } | ((req: RateLimitRequest) => string | Promise<string>);

/** Options of {@link rateLimitMiddleware}. */
export interface RateLimitMiddlewareOptions {
  /**
   * The limiter, or a getter called per request (so a config reload can swap limiters). To
   * change limits in place, call the limiter's `setLimits`.
   */
  limiter: MiddlewareLimiter | (() => MiddlewareLimiter);
  /**
   * The key: the client IP, a request header's value, or a function.
   * @default 'ip'
   */
  key?: RateLimitKeySource;
  /**
   * Units each request costs: a number or a function of the request.
   * @default 1
   */
  cost?: number | ((req: RateLimitRequest) => number);
  /**
   * Policy name in the `RateLimit`/`RateLimit-Policy` headers.
   * @default 'default'
   */
  policy?: string;
  /**
   * Problem `type` URI of the 429 body.
   * @default 'about:blank'
   */
  problemType?: string;
}

const defaults = { key: 'ip', cost: 1, policy: 'default', problemType: 'about:blank' } as const;

function keyOf(source: RateLimitKeySource, req: RateLimitRequest): string | Promise<string> {
  if (source === 'ip') return req.ip ?? req.socket?.remoteAddress ?? 'unknown';
  if (typeof source === 'function') return source(req);
  const value = req.headers[source.header.toLowerCase()];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/**
 * Express middleware (express 5 or 4, or any `(req, res, next)` server): consumes from the
 * limiter per request, sets `RateLimit-Policy` and `RateLimit` on every response, and answers
 * a rejection with 429 `application/problem+json` `{ type, title, status, detail, code:
 * "rate_limited" }` plus `Retry-After` (whole seconds, rounded up). Errors go to `next(err)`.
 */
export function rateLimitMiddleware(
  options: RateLimitMiddlewareOptions,
): (req: RateLimitRequest, res: RateLimitResponse, next: (error?: unknown) => void) => Promise<void> {
  const { key, cost, policy, problemType } = { ...defaults, ...options };
  const limiterOf =
    typeof options.limiter === 'function' ? options.limiter : () => options.limiter as MiddlewareLimiter;
  if (typeof cost === 'number' && (!Number.isInteger(cost) || cost <= 0)) {
    throw new RangeError(`cost must be a positive integer, got ${cost}`);
  }
  rateLimitHeaders(policy, { allowed: true, limit: 1, remaining: 0, resetMs: 0, retryAfterMs: 0 }, 1);
  return async (req, res, next) => {
    try {
      const limiter = limiterOf();
      const decision = await limiter.consume(
        await keyOf(key, req),
        typeof cost === 'function' ? cost(req) : cost,
      );
      const headers = rateLimitHeaders(policy, decision, limiter.windowMs);
      for (const [name, value] of Object.entries(headers) as [string, string][]) res.setHeader(name, value);
      if (decision.allowed) {
        next();
        return;
      }
      const retrySeconds = headers['Retry-After'];
      res.statusCode = 429;
      res.setHeader('Content-Type', 'application/problem+json');
      res.end(
        JSON.stringify({
          type: problemType,
          title: 'Too Many Requests',
          status: 429,
          detail: `Rate limit exceeded; retry after ${retrySeconds} s.`,
          code: 'rate_limited',
        }),
      );
    } catch (error) {
      next(error);
    }
  };
}
