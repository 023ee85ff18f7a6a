import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { MetricsRegistry } from '@shipshape/observability/metrics';
import { parseExposition, samplesOf } from '@shipshape/test-harness/exposition';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { sendJson } from '../testing/service-app.ts';
import { requireAdminToken, tokensMatch, type AdminTokenSettings } from './admin-auth.ts';
import { SECURITY_METRIC } from './names.ts';
import { securityMetrics } from './security-metrics.ts';

const token = 'op-token-0123456789abcdef';
const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** An app with one admin route behind the guard; `settings` is read per request. */
async function start(settings: { current: AdminTokenSettings | undefined }) {
  const metrics = new MetricsRegistry({ service: 'test', defaultMetrics: false });
  const security = securityMetrics(metrics);
  security.initialize('admin');
  const app = express();
  app.get(
    '/admin/thing',
    requireAdminToken({ settings: () => settings.current, metrics: security }),
    (_req, res) => {
      res.json({ ok: true });
    },
  );
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin/thing`;
  const denied = async (reason: string): Promise<number> => {
    const exposition = parseExposition(await metrics.render('prometheus'));
    const [found] = samplesOf(exposition, SECURITY_METRIC.adminDenied, { reason });
    return found?.value ?? NaN;
  };
  return { url, denied };
}

const bearer = (value: string) => ({ headers: { authorization: `Bearer ${value}` } });

describe('requireAdminToken', () => {
  it('passes the right token', async () => {
    const { url } = await start({ current: { token, open: false } });
    const { status, body } = await sendJson(url, bearer(token));
    expect(status).toBe(200);
    expect(body).toEqual({ ok: true });
  });

  it('answers 401 unauthorized with a Bearer challenge without a token, and counts it', async () => {
    const { url, denied } = await start({ current: { token, open: false } });
    const { status, body, headers } = await sendJson(url);
    expect(status).toBe(401);
    expect(body.code).toBe('unauthorized');
    expect(headers.get('content-type')).toContain('application/problem+json');
    expect(headers.get('www-authenticate')).toBe('Bearer realm="shipshape-admin"');
    expect(await denied('missing_token')).toBe(1);
  });

  it('answers 401 for another scheme (Basic) carrying the token', async () => {
    const { url } = await start({ current: { token, open: false } });
    const { status } = await sendJson(url, { headers: { authorization: `Basic ${token}` } });
    expect(status).toBe(401);
  });

  it('answers 403 forbidden for a wrong token, never echoing either token', async () => {
    const { url, denied } = await start({ current: { token, open: false } });
    for (const wrong of [token.slice(0, -1), `${token}0`, 'x']) {
      const { status, body, text } = await sendJson(url, bearer(wrong));
      expect(status).toBe(403);
      expect(body.code).toBe('forbidden');
      expect(text).not.toContain(token.slice(0, 8));
    }
    expect(await denied('wrong_token')).toBe(3);
  });

  it('fails closed (403 not_configured) without a configured token, even with a header', async () => {
    const { url, denied } = await start({ current: { open: false } });
    expect((await sendJson(url, bearer(token))).status).toBe(403);
    expect((await sendJson(url)).status).toBe(403);
    expect(await denied('not_configured')).toBe(2);
    expect(await denied('missing_token')).toBe(0);
  });

  it('treats absent settings like no token: closed', async () => {
    const { url } = await start({ current: undefined });
    expect((await sendJson(url)).status).toBe(403);
  });

  it('opens the routes only with admin.open and no token; a configured token wins over open', async () => {
    const settings: { current: AdminTokenSettings } = { current: { open: true } };
    const { url } = await start(settings);
    expect((await sendJson(url)).status).toBe(200);
    settings.current = { token, open: true };
    expect((await sendJson(url)).status).toBe(401);
  });

  it('applies a rotated token to the next request', async () => {
    const settings: { current: AdminTokenSettings } = { current: { token, open: false } };
    const { url } = await start(settings);
    settings.current = { token: `${token}-rotated`, open: false };
    expect((await sendJson(url, bearer(token))).status).toBe(403);
    expect((await sendJson(url, bearer(`${token}-rotated`))).status).toBe(200);
  });
});

describe('tokensMatch', () => {
  it('compares whole values of any lengths', () => {
    expect(tokensMatch(token, token)).toBe(true);
    expect(tokensMatch(token, `${token} `)).toBe(false);
    expect(tokensMatch('', token)).toBe(false);
    expect(tokensMatch('ä', 'a')).toBe(false);
  });
});
