import { describeBadInputCases, utf8BadInputs, type BadInput } from '@shipshape/service-kit/testing';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { expect, it } from 'vitest';
import { keys } from './storage/keys.ts';
import { send, useApp } from './testing/start-app.test-helper.ts';

const redis = useRedisServer();
const startApp = useApp(() => redis.url);

const ok = { orderId: 'order-1', amountCents: 100, currency: 'EUR' };
const key = { 'idempotency-key': 'bad-input-key' };
const table: BadInput[] = [
  {
    name: 'malformed JSON',
    path: '/payments',
    raw: '{"orderId":',
    headers: key,
    status: 400,
    code: 'malformed_json',
  },
  {
    name: 'bare JSON number',
    path: '/payments',
    raw: '42',
    headers: key,
    status: 400,
    code: 'malformed_json',
  },
  { name: 'JSON array', path: '/payments', body: [ok], headers: key, status: 400, code: 'validation_failed' },
  { name: 'empty object', path: '/payments', body: {}, headers: key, status: 400, code: 'validation_failed' },
  {
    name: 'missing currency',
    path: '/payments',
    body: { orderId: 'o', amountCents: 1 },
    headers: key,
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'amount as a string',
    path: '/payments',
    body: { ...ok, amountCents: '100' },
    headers: key,
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'float cents',
    path: '/payments',
    body: { ...ok, amountCents: 10.5 },
    headers: key,
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'negative cents',
    path: '/payments',
    body: { ...ok, amountCents: -1 },
    headers: key,
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'huge cents',
    path: '/payments',
    body: { ...ok, amountCents: 1e20 },
    headers: key,
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'cents beyond 2^53',
    path: '/payments',
    raw: '{"orderId":"o","amountCents":9007199254740993,"currency":"EUR"}',
    headers: key,
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'lower-case currency',
    path: '/payments',
    body: { ...ok, currency: 'eur' },
    headers: key,
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'unknown field',
    path: '/payments',
    body: { ...ok, card: '4111' },
    headers: key,
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'control characters in orderId',
    path: '/payments',
    body: { ...ok, orderId: 'a\u0000b' },
    headers: key,
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'unicode orderId',
    path: '/payments',
    body: { ...ok, orderId: 'ordér-💥' },
    headers: key,
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'path traversal orderId',
    path: '/payments',
    body: { ...ok, orderId: '../../etc' },
    headers: key,
    status: 400,
    code: 'validation_failed',
  },
  { name: 'no Idempotency-Key', path: '/payments', body: ok, status: 400, code: 'missing_idempotency_key' },
  {
    name: 'Idempotency-Key with a Redis glob',
    path: '/payments',
    body: ok,
    headers: { 'idempotency-key': 'k*' },
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'overlong Idempotency-Key',
    path: '/payments',
    body: ok,
    headers: { 'idempotency-key': 'k'.repeat(129) },
    status: 400,
    code: 'validation_failed',
  },
  {
    name: '1 MB body',
    path: '/payments',
    raw: JSON.stringify({ ...ok, orderId: 'x'.repeat(1_048_576) }),
    headers: key,
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'text/plain',
    path: '/payments',
    raw: 'amount=1',
    headers: { ...key, 'content-type': 'text/plain' },
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'XML',
    path: '/payments',
    raw: '<payment/>',
    headers: { ...key, 'content-type': 'application/xml' },
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'encoded path traversal id',
    path: '/payments/..%2F..%2Fetc%2Fpasswd',
    status: 400,
    code: 'validation_failed',
  },
  { name: 'id with unicode', path: '/payments/%F0%9F%92%A5', status: 400, code: 'validation_failed' },
  { name: 'overlong id', path: `/payments/${'a'.repeat(65)}`, status: 400, code: 'validation_failed' },
  { name: 'orderId query with a glob', path: '/payments?orderId=*', status: 400, code: 'validation_failed' },
  {
    name: 'repeated orderId query',
    path: '/payments?orderId=a&orderId=b',
    status: 400,
    code: 'validation_failed',
  },
  { name: 'bad percent-encoding', path: '/payments/%E0%A4%A', status: 400, code: 'validation_failed' },
  ...utf8BadInputs('/payments', ok),
];

describeBadInputCases(table, async () => (await startApp()).url);

it('stays healthy, charges nothing, and still serves after the whole bad-input table', async () => {
  const { url, redis: client } = await startApp();
  for (const input of table) {
    const { status } = await send(`${url}${input.path}`, {
      body: input.body,
      raw: input.raw,
      headers: input.headers,
    });
    expect(status).toBeLessThan(500);
  }
  expect(await client.exists(keys.idempotency('bad-input-key'))).toBe(0);
  expect((await send(`${url}/health`)).status).toBe(200);
  expect((await send(`${url}/ready`)).status).toBe(200);
  const created = await send(`${url}/payments`, {
    body: ok,
    headers: { 'idempotency-key': crypto.randomUUID() },
  });
  expect(created.status).toBe(201);
});
