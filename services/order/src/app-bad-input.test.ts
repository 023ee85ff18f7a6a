import { describeBadInputCases, utf8BadInputs, type BadInput } from '@shipshape/service-kit/testing';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { expect, it } from 'vitest';
import { keys } from './storage/keys.ts';
import { send, useApp } from './testing/start-app.test-helper.ts';
import { useUserUpstream } from './testing/user-upstream.test-helper.ts';

const redis = useRedisServer();
const startApp = useApp(() => redis.url);
const startUpstream = useUserUpstream();

const item = { sku: 'SKU-1', quantity: 1, unitPriceCents: 100 };
const ok = { userId: 'user-1', items: [item] };
const withItem = (patch: object) => ({ ...ok, items: [{ ...item, ...patch }] });
const key = { 'idempotency-key': 'bad-input-key' };
const table: BadInput[] = [
  {
    name: 'malformed JSON',
    path: '/orders',
    raw: '{"userId":',
    headers: key,
    status: 400,
    code: 'malformed_json',
  },
  { name: 'bare JSON number', path: '/orders', raw: '42', status: 400, code: 'malformed_json' },
  { name: 'JSON null', path: '/orders', raw: 'null', status: 400, code: 'malformed_json' },
  { name: 'JSON array', path: '/orders', body: [ok], status: 400, code: 'validation_failed' },
  { name: 'empty object', path: '/orders', body: {}, status: 400, code: 'validation_failed' },
  {
    name: 'missing items',
    path: '/orders',
    body: { userId: 'user-1' },
    status: 400,
    code: 'validation_failed',
  },
  { name: 'no items', path: '/orders', body: { ...ok, items: [] }, status: 400, code: 'validation_failed' },
  {
    name: '101 items',
    path: '/orders',
    body: { ...ok, items: Array.from({ length: 101 }, () => item) },
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'items as an object',
    path: '/orders',
    body: { ...ok, items: item },
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'userId as a number',
    path: '/orders',
    body: { ...ok, userId: 7 },
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'quantity as a string',
    path: '/orders',
    body: withItem({ quantity: '1' }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'zero quantity',
    path: '/orders',
    body: withItem({ quantity: 0 }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'huge quantity',
    path: '/orders',
    body: withItem({ quantity: 1_000_001 }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'float cents',
    path: '/orders',
    body: withItem({ unitPriceCents: 10.5 }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'negative cents',
    path: '/orders',
    body: withItem({ unitPriceCents: -1 }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'huge cents',
    path: '/orders',
    body: withItem({ unitPriceCents: 1e20 }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'cents beyond 2^53',
    path: '/orders',
    raw: '{"userId":"user-1","items":[{"sku":"S","quantity":1,"unitPriceCents":9007199254740993}]}',
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'total over the maximum',
    path: '/orders',
    body: {
      ...ok,
      items: Array.from({ length: 11 }, () => ({ ...item, quantity: 1_000, unitPriceCents: 1_000_000_000 })),
    },
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'client-sent totalCents',
    path: '/orders',
    body: { ...ok, totalCents: 1 },
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'unknown item field',
    path: '/orders',
    body: withItem({ discount: 5 }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'control characters in userId',
    path: '/orders',
    body: { ...ok, userId: 'a\u0000b' },
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'unicode userId',
    path: '/orders',
    body: { ...ok, userId: 'usér-💥' },
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'path traversal userId',
    path: '/orders',
    body: { ...ok, userId: '../../admin' },
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'sku with a newline',
    path: '/orders',
    body: withItem({ sku: 'A\nB' }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'Idempotency-Key with a Redis glob',
    path: '/orders',
    body: ok,
    headers: { 'idempotency-key': 'k*' },
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'overlong Idempotency-Key',
    path: '/orders',
    body: ok,
    headers: { 'idempotency-key': 'k'.repeat(129) },
    status: 400,
    code: 'validation_failed',
  },
  {
    name: '1 MB body',
    path: '/orders',
    raw: JSON.stringify({ ...ok, userId: 'x'.repeat(1_048_576) }),
    headers: key,
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'text/plain',
    path: '/orders',
    raw: 'userId=1',
    headers: { ...key, 'content-type': 'text/plain' },
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'form encoding',
    path: '/orders',
    raw: 'userId=user-1',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'XML',
    path: '/orders',
    raw: '<order/>',
    headers: { ...key, 'content-type': 'application/xml' },
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'encoded path traversal id',
    path: '/orders/..%2F..%2Fetc%2Fpasswd',
    status: 400,
    code: 'validation_failed',
  },
  { name: 'path traversal id', path: '/orders/../../etc/passwd', status: 404, code: 'not_found' },
  { name: 'id with unicode', path: '/orders/%F0%9F%92%A5', status: 400, code: 'validation_failed' },
  { name: 'id with a control character', path: '/orders/a%00b', status: 400, code: 'validation_failed' },
  { name: 'id with a Redis glob', path: '/orders/*', status: 400, code: 'validation_failed' },
  { name: 'overlong id', path: `/orders/${'a'.repeat(65)}`, status: 400, code: 'validation_failed' },
  { name: 'bad percent-encoding', path: '/orders/%E0%A4%A', status: 400, code: 'validation_failed' },
  ...utf8BadInputs('/orders', ok),
];

describeBadInputCases(table, async () => (await startApp()).url);

it('stays healthy, asks the user service nothing, stores nothing, and still serves after the whole table', async () => {
  const upstream = await startUpstream();
  upstream.known.add('user-1');
  const { url, redis: client } = await startApp({ values: { userServiceUrl: upstream.url } });
  for (const input of table) {
    const { status } = await send(`${url}${input.path}`, {
      body: input.body,
      raw: input.raw,
      headers: input.headers,
    });
    expect(status).toBeLessThan(500);
  }
  expect(upstream.hits).toBe(0);
  expect(await client.exists(keys.idempotency('bad-input-key'), keys.outbox)).toBe(0);
  expect((await send(`${url}/health`)).status).toBe(200);
  expect((await send(`${url}/ready`)).status).toBe(200);
  expect((await send(`${url}/orders`, { body: ok, headers: key })).status).toBe(202);
});
