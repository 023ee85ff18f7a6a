import { createHash } from 'node:crypto';

/** What {@link clientKey} reads of a request (express's, or `node:http`'s plus `ip`). */
export interface ClientKeyRequest {
  readonly ip?: string | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly socket?: { readonly remoteAddress?: string | undefined } | undefined;
}

/**
 * The inbound rate-limit key of a request: its `x-api-key` when present, else its IP. The key
 * is hashed so that API keys never appear in Redis key names or `MONITOR` output.
 */
export function clientKey(req: ClientKeyRequest): string {
  const apiKey = req.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey !== '') {
    return `key:${createHash('sha256').update(apiKey).digest('base64url').slice(0, 22)}`;
  }
  return `ip:${req.ip ?? req.socket?.remoteAddress ?? 'unknown'}`;
}
