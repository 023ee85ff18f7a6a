import { describe, expect, it } from 'vitest';
import { clientKey } from './client-key.ts';

describe('clientKey', () => {
  it('keys by a hash of x-api-key when present, never the key itself', () => {
    const key = clientKey({ ip: '10.0.0.1', headers: { 'x-api-key': 'secret-api-key' } });
    expect(key).toMatch(/^key:[A-Za-z0-9_-]{22}$/);
    expect(key).not.toContain('secret-api-key');
    expect(clientKey({ ip: '10.0.0.2', headers: { 'x-api-key': 'secret-api-key' } })).toBe(key);
  });

  it('keys by IP without an API key, falling back to the socket address', () => {
    expect(clientKey({ ip: '10.0.0.1', headers: {} })).toBe('ip:10.0.0.1');
    expect(clientKey({ headers: { 'x-api-key': '' }, socket: { remoteAddress: '::1' } })).toBe('ip:::1');
  });
});
