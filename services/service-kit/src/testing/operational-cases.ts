import { RedisSource, setOverride } from '@shipshape/config/redis';
import { waitFor } from '@shipshape/test-harness';
import { describe, expect, it } from 'vitest';
import { sendJson, type StartServiceAppOptions } from './service-app.ts';

/** What the shared cases need of a started app. */
export interface OperationalCasesApp {
  readonly url: string;
  readonly redis: Parameters<typeof setOverride>[0];
  readonly config: { get(): { readonly rateLimit: { readonly limit: number } } };
}

/** Options of {@link describeOperationalCases}. */
export interface OperationalCasesOptions {
  /** The service name (`service` metric label; prefix of the Redis override namespace). */
  service: string;
  /** The harness Redis the apps use (`useRedisServer().url`), for the runtime override source. */
  redisUrl: () => string;
  /** The service's starter (`useServiceApp`). */
  startApp: (options?: StartServiceAppOptions) => Promise<OperationalCasesApp>;
  /** The API collection path (`/users`): `<path>/{id}` must be in the OpenAPI document. */
  collectionPath: string;
}

/**
 * Registers the tests every service's app must pass, in the calling test file: the operational
 * routes (`/health`, `/ready`, `/openapi.json`, `/config` behind the admin token — 401 without,
 * 403 wrong or none configured —, `/metrics`, 405 on POST) and the
 * inbound rate limit (429 with headers, keyed by API key, runtime override, probes exempt).
 * A GET of `<collectionPath>/x` must answer 404 for an unknown id.
 */
export function describeOperationalCases(options: OperationalCasesOptions): void {
  const { service, startApp, collectionPath } = options;
  const unknown = `${collectionPath}/x`;
  const adminToken = `admin-${crypto.randomUUID()}`;
  const adminHeaders = { authorization: `Bearer ${adminToken}` };

  describe('operational routes', () => {
    it('answers /health 200 without checking Redis', async () => {
      const { url } = await startApp();
      const { status, body } = await sendJson(`${url}/health`);
      expect(status).toBe(200);
      expect(body).toEqual({ status: 'ok' });
    });

    it('answers /ready 200 when Redis answers PING', async () => {
      const { url } = await startApp();
      const { status, body } = await sendJson(`${url}/ready`);
      expect(status).toBe(200);
      expect(body.checks?.redis?.status).toBe('ok');
    });

    it('serves the OpenAPI 3.1 document generated from the schemas', async () => {
      const { url } = await startApp();
      const { status, body } = await sendJson(`${url}/openapi.json`);
      expect(status).toBe(200);
      expect(body.openapi).toMatch(/^3\.1/);
      expect(Object.keys(body.paths ?? {})).toEqual(
        expect.arrayContaining([collectionPath, `${collectionPath}/{id}`]),
      );
    });

    it('serves /config to the admin token, with the source of each value and secrets redacted', async () => {
      const { url } = await startApp({
        values: {
          redisUrl: 'redis://:hunter2secret@10.1.2.3:6379',
          rateLimit: { limit: 7 },
          admin: { token: adminToken },
        },
      });
      const { status, body, text } = await sendJson(`${url}/config`, { headers: adminHeaders });
      expect(status).toBe(200);
      expect(body['rateLimit.limit']).toMatchObject({ value: 7 });
      expect(body['rateLimit.windowMs']).toMatchObject({ value: 1_000, source: 'default' });
      expect(body.redisUrl?.value).toBe('[redacted]');
      expect(body['admin.token']).toMatchObject({ value: '[redacted]' });
      expect(text).not.toContain('hunter2secret');
      expect(text).not.toContain('10.1.2.3');
      expect(text).not.toContain(adminToken);
    });

    it('answers /config 401 without a token and 403 with a wrong one, as problem+json', async () => {
      const { url } = await startApp({ values: { admin: { token: adminToken } } });
      const missing = await sendJson(`${url}/config`);
      expect(missing.status).toBe(401);
      expect(missing.body.code).toBe('unauthorized');
      expect(missing.headers.get('content-type')).toContain('application/problem+json');
      expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer /);
      const wrong = await sendJson(`${url}/config`, { headers: { authorization: `Bearer ${adminToken}x` } });
      expect(wrong.status).toBe(403);
      expect(wrong.body.code).toBe('forbidden');
      expect(wrong.text).not.toContain(adminToken);
    });

    it('keeps /config closed (403) when no admin token is configured, unless admin.open is set', async () => {
      const closed = await startApp();
      const refused = await sendJson(`${closed.url}/config`, { headers: adminHeaders });
      expect(refused.status).toBe(403);
      expect(refused.body.detail).toContain('no admin token is configured');
      const open = await startApp({ values: { admin: { open: true } } });
      expect((await sendJson(`${open.url}/config`)).status).toBe(200);
    });

    it('exposes http_server_request_duration_seconds with the route template and the service label', async () => {
      const { url } = await startApp();
      await sendJson(`${url}${collectionPath}/some-id`);
      const { status, text } = await sendJson(`${url}/metrics`);
      expect(status).toBe(200);
      const route = `${collectionPath}/:id`.replaceAll('/', '\\/');
      expect(text).toMatch(
        new RegExp(`http_server_request_duration_seconds_count\\{[^}]*route="${route}"[^}]*\\} 1`),
      );
      expect(text).toMatch(
        new RegExp(`http_server_request_duration_seconds_count\\{[^}]*service="${service}"`),
      );
      expect(text).not.toContain(`${collectionPath}/some-id`);
    });

    it('answers 405 with Allow: GET, HEAD for POST /health', async () => {
      const { url } = await startApp();
      const { status, headers, body } = await sendJson(`${url}/health`, { method: 'POST' });
      expect(status).toBe(405);
      expect(body.code).toBe('method_not_allowed');
      expect(headers.get('allow')).toContain('GET');
    });
  });

  describe('inbound rate limit', () => {
    it('answers 429 rate_limited with Retry-After, RateLimit and RateLimit-Policy past the configured limit', async () => {
      const { url } = await startApp({
        rateLimit: true,
        values: { rateLimit: { limit: 2, windowMs: 60_000 } },
      });
      const headers = { 'x-api-key': `client-${crypto.randomUUID()}` };
      expect((await sendJson(`${url}${unknown}`, { headers })).status).toBe(404);
      const second = await sendJson(`${url}${unknown}`, { headers });
      expect(second.headers.get('ratelimit-policy')).toBe('"inbound";q=2;w=60');
      const third = await sendJson(`${url}${unknown}`, { headers });
      expect(third.status).toBe(429);
      expect(third.headers.get('content-type')).toContain('application/problem+json');
      expect(third.body.code).toBe('rate_limited');
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(third.headers.get('ratelimit')).toMatch(/^"inbound";r=0;t=\d+$/);
    });

    it('keys clients by x-api-key, so another key still passes', async () => {
      const { url } = await startApp({ rateLimit: true, values: { rateLimit: { limit: 1 } } });
      expect(
        (await sendJson(`${url}${unknown}`, { headers: { 'x-api-key': 'a-' + crypto.randomUUID() } })).status,
      ).toBe(404);
      expect(
        (await sendJson(`${url}${unknown}`, { headers: { 'x-api-key': 'b-' + crypto.randomUUID() } })).status,
      ).toBe(404);
    });

    it('applies a limit changed at runtime through a Redis config override to the next request', async () => {
      const namespace = `${service}-test-${crypto.randomUUID()}`;
      const source = new RedisSource({ redis: options.redisUrl(), service: namespace });
      // A one-minute window, so that the second request is in the first one's window.
      const {
        url,
        config,
        redis: client,
      } = await startApp({
        rateLimit: true,
        values: { rateLimit: { windowMs: 60_000 } },
        sources: [source],
      });
      const headers = { 'x-api-key': `client-${crypto.randomUUID()}` };
      expect((await sendJson(`${url}${unknown}`, { headers })).status).toBe(404);
      await setOverride(client, namespace, 'rateLimit.limit', 1);
      await waitFor('the override to load', () => config.get().rateLimit.limit === 1, { timeoutMs: 5_000 });
      const next = await sendJson(`${url}${unknown}`, { headers });
      expect(next.status).toBe(429);
      expect(next.headers.get('ratelimit-policy')).toBe('"inbound";q=1;w=60');
    });

    it('does not limit the health probe', async () => {
      const { url } = await startApp({ rateLimit: true, values: { rateLimit: { limit: 1 } } });
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await sendJson(`${url}/health`)).status);
      expect(statuses).toEqual([200, 200, 200]);
    });
  });
}
