import { createHash } from 'node:crypto';
import type { RateLimitRequest } from '@shipshape/resilience';

/**
 * The inbound rate-limit key of a request: its `x-api-key` when present, else its IP. The key
 * is hashed so that API keys never appear in Redis key names or `MONITOR` output.
 */
export function clientKey(req: RateLimitRequest): string {
  const apiKey = req.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey !== '') {
    return `key:${createHash('sha256').update(apiKey).digest('base64url').slice(0, 22)}`;
  }
  return `ip:${req.ip ?? req.socket?.remoteAddress ?? 'unknown'}`;
}
