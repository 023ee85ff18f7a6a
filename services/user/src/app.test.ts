import { useRedisServer } from '@shipshape/test-harness/vitest';
import { describe, expect, it } from 'vitest';
import { send, useApp } from './testing/start-app.test-helper.ts';

const redis = useRedisServer();
const startApp = useApp(() => redis.url);
const problemJson = 'application/problem+json';
let counter = 0;
const uniqueEmail = (): string => `person-${Date.now()}-${counter++}@example.com`;

describe('POST /users', () => {
  it('creates a user and answers 201 with id, email, name and createdAt', async () => {
    const { url } = await startApp();
    const email = uniqueEmail();
    const { status, body, headers } = await send(`${url}/users`, { body: { email, name: ' Ada ' } });
    expect(status).toBe(201);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(body).toMatchObject({ email, name: 'Ada' });
    expect(Object.keys(body).sort()).toEqual(['createdAt', 'email', 'id', 'name']);
    expect(new Date(String(body.createdAt)).toISOString()).toBe(body.createdAt);
  });

  it('answers 409 email_taken for the same email in another case', async () => {
    const { url } = await startApp();
    const email = uniqueEmail();
    expect((await send(`${url}/users`, { body: { email, name: 'A' } })).status).toBe(201);
    const second = await send(`${url}/users`, { body: { email: email.toUpperCase(), name: 'B' } });
    expect(second.status).toBe(409);
    expect(second.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(second.body).toMatchObject({
      status: 409,
      code: 'email_taken',
      type: 'https://shipshape.dev/problems/email_taken',
    });
  });

  it('lets exactly one of 20 concurrent creations with one email win (19 answer 409)', async () => {
    const { url } = await startApp();
    const email = uniqueEmail();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => send(`${url}/users`, { body: { email, name: `N${i}` } })),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
  });

  it('lists every validation problem in one 400 validation_failed', async () => {
    const { url } = await startApp();
    const { status, body } = await send(`${url}/users`, { body: { email: 'nope', name: 7, extra: true } });
    expect(status).toBe(400);
    expect(body.code).toBe('validation_failed');
    const paths = (body.errors ?? []).map((e) => e.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['email', 'name']));
    expect(body.errors?.length).toBeGreaterThanOrEqual(3);
  });
});

describe('GET /users/:id', () => {
  it('answers 200 with the stored user', async () => {
    const { url } = await startApp();
    const created = await send(`${url}/users`, { body: { email: uniqueEmail(), name: 'Grace' } });
    const { status, body } = await send(`${url}/users/${created.body.id ?? ''}`);
    expect(status).toBe(200);
    expect(body).toEqual(created.body);
  });

  it('answers 404 not_found for an unknown id', async () => {
    const { url } = await startApp();
    const { status, body, headers } = await send(`${url}/users/does-not-exist`);
    expect(status).toBe(404);
    expect(headers.get('content-type')).toContain(problemJson);
    expect(body.code).toBe('not_found');
  });
});

describe('GET /users', () => {
  it('pages through every user exactly once with limit and nextCursor', async () => {
    const { url, redis: client } = await startApp();
    await client.flushall();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await send(`${url}/users`, { body: { email: uniqueEmail(), name: `P${i}` } })).body.id ?? '');
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? 'limit=2' : `limit=2&cursor=${cursor}`;
      const { status, body } = await send(`${url}/users?${query}`);
      expect(status).toBe(200);
      seen.push(...(body.items ?? []).map((u) => u.id));
      cursor = body.nextCursor ?? null;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
  });

  it('answers 400 invalid_cursor for a cursor it did not issue', async () => {
    const { url } = await startApp();
    const { status, body } = await send(
      `${url}/users?cursor=${Buffer.from('{"v":9}').toString('base64url')}`,
    );
    expect(status).toBe(400);
    expect(body.code).toBe('invalid_cursor');
  });

  it.each(['0', '101', '-1', '1.5', 'ten'])('answers 400 validation_failed for limit=%s', async (limit) => {
    const { url } = await startApp();
    const { status, body } = await send(`${url}/users?limit=${limit}`);
    expect(status).toBe(400);
    expect(body).toMatchObject({
      code: 'validation_failed',
      errors: [expect.objectContaining({ path: 'limit' })],
    });
  });
});

describe('routing and protocol errors', () => {
  it('answers 404 not_found problem+json for an unknown route', async () => {
    const { url } = await startApp();
    const { status, body, headers } = await send(`${url}/nope`);
    expect(status).toBe(404);
    expect(headers.get('content-type')).toContain(problemJson);
    expect(body.code).toBe('not_found');
  });

  it('answers 405 method_not_allowed with Allow for a wrong method', async () => {
    const { url } = await startApp();
    const { status, body, headers } = await send(`${url}/users`, { method: 'DELETE' });
    expect(status).toBe(405);
    expect(body.code).toBe('method_not_allowed');
    expect(headers.get('allow')).toContain('POST');
  });

  it('answers 415 unsupported_media_type for a text/plain body', async () => {
    const { url } = await startApp();
    const { status, body } = await send(`${url}/users`, {
      raw: 'hello',
      headers: { 'content-type': 'text/plain' },
    });
    expect(status).toBe(415);
    expect(body.code).toBe('unsupported_media_type');
  });

  it('answers 413 payload_too_large for a 1 MB body', async () => {
    const { url } = await startApp();
    const raw = JSON.stringify({ email: 'a@example.com', name: 'x'.repeat(1024 * 1024) });
    const { status, body } = await send(`${url}/users`, { raw });
    expect(status).toBe(413);
    expect(body.code).toBe('payload_too_large');
  });

  it('answers 400 malformed_json for a body that is not JSON', async () => {
    const { url } = await startApp();
    const { status, body } = await send(`${url}/users`, { raw: '{"email": ' });
    expect(status).toBe(400);
    expect(body.code).toBe('malformed_json');
  });

  it("answers 400 validation_failed to a zero deadline: the caller's mistake, not an expiry", async () => {
    const { url } = await startApp();
    const { status, body } = await send(`${url}/users`, { headers: { 'x-request-timeout-ms': '0' } });
    expect(status).toBe(400);
    expect(body.code).toBe('validation_failed');
  });

  it('sets helmet headers and an x-request-id', async () => {
    const { url } = await startApp();
    const { headers } = await send(`${url}/health`);
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('x-request-id')).toMatch(/.+/);
    expect(headers.get('x-powered-by')).toBeNull();
  });
});
