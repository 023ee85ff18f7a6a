import type { RateLimitDecision } from './rate-limiter.ts';

/**
 * Header values in the field syntax of the IETF httpapi draft
 * `draft-ietf-httpapi-ratelimit-headers-11` (May 2026): Structured Field Lists of one Item,
 * the policy name as an sf-string, integer parameters.
 */
export interface RateLimitHeaderValues {
  /** `"<policy>";q=<limit>;w=<window seconds>` */
  'RateLimit-Policy': string;
  /** `"<policy>";r=<remaining>;t=<seconds>` */
  RateLimit: string;
  /** Whole seconds, rounded up; only for rejections. */
  'Retry-After'?: string;
}

// sf-string: printable ASCII with `"` and `\` escaped (RFC 9651 §3.3.3).
function sfString(value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value)) {
    throw new RangeError(`policy name must be printable ASCII, got ${JSON.stringify(value)}`);
  }
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

const seconds = (ms: number): number => Math.max(0, Math.ceil(ms / 1000));

/**
 * Builds the headers for one decision. `t` is the reset time when allowed and the retry time
 * when rejected, so it never points earlier than `Retry-After` (the draft's §6 SHOULD). The
 * window `w` is at least 1 s: the draft allows no sub-second windows.
 */
export function rateLimitHeaders(
  policy: string,
  decision: RateLimitDecision,
  windowMs: number,
): RateLimitHeaderValues {
  const name = sfString(policy);
  const t = seconds(decision.allowed ? decision.resetMs : decision.retryAfterMs);
  const headers: RateLimitHeaderValues = {
    'RateLimit-Policy': `${name};q=${decision.limit};w=${Math.max(1, seconds(windowMs))}`,
    RateLimit: `${name};r=${decision.remaining};t=${t}`,
  };
  if (!decision.allowed) headers['Retry-After'] = String(Math.max(1, seconds(decision.retryAfterMs)));
  return headers;
}
