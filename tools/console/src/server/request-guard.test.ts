import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { RequestGuard } from './request-guard.ts';

const request = (headers: Record<string, string>): IncomingMessage =>
  ({ headers }) as unknown as IncomingMessage;
const control = (extra: Record<string, string> = {}): IncomingMessage =>
  request({
    host: '127.0.0.1:3100',
    origin: 'http://127.0.0.1:3100',
    'content-type': 'application/json',
    authorization: 'Bearer the-admin-token-1234',
    ...extra,
  });

describe('RequestGuard', () => {
  const guard = new RequestGuard({
    hosts: ['127.0.0.1:3100', 'localhost:3100'],
    adminToken: 'the-admin-token-1234',
  });

  it('answers only its own hosts (DNS rebinding)', () => {
    expect(guard.checkHost(request({ host: '127.0.0.1:3100' }))).toBeUndefined();
    expect(guard.checkHost(request({ host: 'attacker.example:3100' }))?.code).toBe('forbidden_host');
  });

  it('accepts a control from its own page with the token', () => {
    expect(guard.checkControl(control())).toBeUndefined();
    expect(guard.checkControl(control({ 'sec-fetch-site': 'same-origin' }))).toBeUndefined();
  });

  it.each([
    ['another origin', { origin: 'http://attacker.example' }, 'cross_origin'],
    ['a cross-site fetch', { 'sec-fetch-site': 'cross-site' }, 'cross_origin'],
    ['a form post', { 'content-type': 'application/x-www-form-urlencoded' }, 'unsupported_media_type'],
    ['no token', { authorization: '' }, 'unauthorized'],
    ['a wrong token', { authorization: 'Bearer the-admin-token-1235' }, 'unauthorized'],
  ])('refuses %s', (_what, headers, code) => {
    expect(guard.checkControl(control(headers))?.code).toBe(code);
  });

  it('refuses every control when it has no token (read-only)', () => {
    const readOnly = new RequestGuard({ hosts: ['127.0.0.1:3100'], adminToken: undefined });
    expect(readOnly.readOnly).toBe(true);
    expect(readOnly.checkControl(control())?.code).toBe('read_only');
  });
});
