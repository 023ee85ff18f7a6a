import type { IncomingHttpHeaders } from 'node:http';

/**
 * How long the upstream asked us to wait, in ms, from `Retry-After` (seconds or HTTP-date) or,
 * failing that, the reset of the IETF `RateLimit` header (`RateLimit: "p";r=0;t=5`, or the
 * older `RateLimit-Reset: 5` / `RateLimit: limit=…, remaining=…, reset=5` forms). `undefined`
 * when the answer carries none of them.
 */
export function retryAfterMs(headers: IncomingHttpHeaders, nowMs: number = Date.now()): number | undefined {
  const retryAfter = first(headers['retry-after']);
  if (retryAfter !== undefined) {
    const trimmed = retryAfter.trim();
    if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
    const date = Date.parse(trimmed);
    if (!Number.isNaN(date)) return Math.max(0, date - nowMs);
  }
  const reset = first(headers['ratelimit-reset']);
  if (reset !== undefined && /^\d+$/.test(reset.trim())) return Number(reset.trim()) * 1000;
  const rateLimit = first(headers.ratelimit);
  if (rateLimit !== undefined) {
    const match = /(?:^|[;,\s])(?:t|reset)=(\d+)/.exec(rateLimit);
    if (match?.[1] !== undefined) return Number(match[1]) * 1000;
  }
  return undefined;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
