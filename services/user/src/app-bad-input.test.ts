import { describeBadInputCases, utf8BadInputs, type BadInput } from '@shipshape/service-kit/testing';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { expect, it } from 'vitest';
import { send, useApp } from './testing/start-app.test-helper.ts';

const redis = useRedisServer();
const startApp = useApp(() => redis.url);

const validEmail = 'bad-input@example.com';
const table: BadInput[] = [
  { name: 'malformed JSON', path: '/users', raw: '{"email":', status: 400, code: 'malformed_json' },
  { name: 'JSON array', path: '/users', body: [1, 2], status: 400, code: 'validation_failed' },
  {
    name: 'JSON null (strict parser: objects and arrays only)',
    path: '/users',
    raw: 'null',
    status: 400,
    code: 'malformed_json',
  },
  { name: 'JSON string', path: '/users', raw: '"x"', status: 400, code: 'malformed_json' },
  { name: 'empty object', path: '/users', body: {}, status: 400, code: 'validation_failed' },
  {
    name: 'wrong types',
    path: '/users',
    body: { email: 42, name: ['x'] },
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'missing name',
    path: '/users',
    body: { email: validEmail },
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'unknown field',
    path: '/users',
    body: { email: validEmail, name: 'a', admin: true },
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'huge email',
    path: '/users',
    body: { email: `${'a'.repeat(300)}@example.com`, name: 'a' },
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'control characters in name',
    path: '/users',
    body: { email: validEmail, name: 'a\u0000b\u001b' },
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'blank name',
    path: '/users',
    body: { email: validEmail, name: '   ' },
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'proto pollution',
    path: '/users',
    raw: '{"__proto__":{"admin":true},"email":"p@example.com"}',
    status: 400,
    code: 'validation_failed',
  },
  {
    name: '1 MB body',
    path: '/users',
    raw: JSON.stringify({ email: validEmail, name: 'x'.repeat(1_048_576) }),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'text/plain',
    path: '/users',
    raw: 'email=a',
    headers: { 'content-type': 'text/plain' },
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'form encoded',
    path: '/users',
    raw: 'email=a',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'unsupported charset',
    path: '/users',
    raw: '{}',
    headers: { 'content-type': 'application/json; charset=ebcdic' },
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'encoded path traversal id',
    path: '/users/..%2F..%2Fetc%2Fpasswd',
    status: 400,
    code: 'validation_failed',
  },
  { name: 'id with a Redis glob', path: '/users/*', status: 400, code: 'validation_failed' },
  { name: 'id with unicode', path: '/users/%F0%9F%92%A5', status: 400, code: 'validation_failed' },
  { name: 'id with a NUL', path: '/users/a%00b', status: 400, code: 'validation_failed' },
  { name: 'overlong id', path: `/users/${'a'.repeat(65)}`, status: 400, code: 'validation_failed' },
  { name: 'huge limit', path: '/users?limit=99999999999999999999', status: 400, code: 'validation_failed' },
  { name: 'negative limit', path: '/users?limit=-5', status: 400, code: 'validation_failed' },
  { name: 'repeated limit', path: '/users?limit=1&limit=2', status: 400, code: 'validation_failed' },
  { name: 'cursor with unicode', path: '/users?cursor=%C3%A9', status: 400, code: 'validation_failed' },
  { name: 'bad percent-encoding', path: '/users/%E0%A4%A', status: 400, code: 'validation_failed' },
  {
    name: 'a lone surrogate in name',
    path: '/users',
    raw: `{"email":"${validEmail}","name":"Ada\\ud800"}`,
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'a right-to-left override in name',
    path: '/users',
    body: { email: validEmail, name: 'Ada\u202Enimda' },
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'a first-strong isolate in name',
    path: '/users',
    body: { email: validEmail, name: '\u2068Ada\u2069' },
    status: 400,
    code: 'validation_failed',
  },
  ...utf8BadInputs('/users', { email: validEmail, name: 'Ada' }),
];

describeBadInputCases(table, async () => (await startApp()).url);

it('stays healthy and serving after the whole bad-input table', async () => {
  const { url } = await startApp();
  for (const input of table) {
    const { status } = await send(`${url}${input.path}`, {
      body: input.body,
      raw: input.raw,
      headers: input.headers,
    });
    expect(status).toBeLessThan(500);
  }
  expect((await send(`${url}/health`)).status).toBe(200);
  expect((await send(`${url}/ready`)).status).toBe(200);
  const created = await send(`${url}/users`, {
    body: { email: `after-${crypto.randomUUID()}@example.com`, name: 'Ok' },
  });
  expect(created.status).toBe(201);
});

it('stores unicode names as given', async () => {
  const { url } = await startApp();
  const name = 'Zoë 李 🚀';
  const created = await send(`${url}/users`, {
    body: { email: `uni-${crypto.randomUUID()}@example.com`, name },
  });
  expect(created.status).toBe(201);
  expect((await send(`${url}/users/${created.body.id ?? ''}`)).body.name).toBe(name);
});

it('stores a right-to-left name with its direction marks (LRM, RLM, ALM are allowed)', async () => {
  const { url } = await startApp();
  const name = '\u200fדוד\u200f \u061cأحمد \u200eAda';
  const created = await send(`${url}/users`, {
    body: { email: `rtl-${crypto.randomUUID()}@example.com`, name },
  });
  expect(created.status).toBe(201);
  expect((await send(`${url}/users/${created.body.id ?? ''}`)).body.name).toBe(name);
});

it('refuses a name whose bytes are not UTF-8 instead of storing it with U+FFFD in their place', async () => {
  const { url } = await startApp();
  const email = `bytes-${crypto.randomUUID()}@example.com`;
  const raw = Buffer.concat([
    Buffer.from(`{"email":"${email}","name":"Ad`, 'utf8'),
    Buffer.from([0xe9]), // "é" in Latin-1: not UTF-8
    Buffer.from('"}', 'utf8'),
  ]);
  const answer = await send(`${url}/users`, { raw });
  expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 400, code: 'malformed_json' });
  const listed = await send(`${url}/users?limit=100`);
  expect(JSON.stringify(listed.body)).not.toContain(email);
});
