import { describe, expect, it } from 'vitest';
import { retryAfterMs } from './retry-after.ts';

describe('retryAfterMs', () => {
  it('reads Retry-After in seconds', () => {
    expect(retryAfterMs({ 'retry-after': '3' })).toBe(3000);
  });

  it('reads Retry-After as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }, now)).toBe(5000);
  });

  it('reads the reset of a structured RateLimit header', () => {
    expect(retryAfterMs({ ratelimit: '"default";r=0;t=7' })).toBe(7000);
  });

  it('reads RateLimit-Reset and the older RateLimit list form', () => {
    expect(retryAfterMs({ 'ratelimit-reset': '2' })).toBe(2000);
    expect(retryAfterMs({ ratelimit: 'limit=10, remaining=0, reset=4' })).toBe(4000);
  });

  it('prefers Retry-After and ignores garbage', () => {
    expect(retryAfterMs({ 'retry-after': '1', ratelimit: '"d";r=0;t=9' })).toBe(1000);
    expect(retryAfterMs({ 'retry-after': 'soon' })).toBeUndefined();
    expect(retryAfterMs({})).toBeUndefined();
  });
});
