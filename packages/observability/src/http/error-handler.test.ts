import { hostname } from 'node:os';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { problemErrorHandler } from './error-handler.ts';
import type { ErrorLogger } from './error-handler.ts';
import { HttpProblem, isHttpProblem } from './http-problem.ts';
import { listen } from './listen.test-helper.ts';
import type { Listening } from './listen.test-helper.ts';
import { methodNotAllowed } from './method-not-allowed.ts';
import { notFoundHandler } from './not-found.ts';
import { requireJsonBody } from './require-json.ts';

interface LogLine {
  level: 'error' | 'warn';
  context: Record<string, unknown>;
  message: string;
}

function buildApp(logs: LogLine[]) {
  const logger: ErrorLogger = {
    error: (context, message) =>
      logs.push({ level: 'error', context: context as LogLine['context'], message }),
    warn: (context, message) => logs.push({ level: 'warn', context: context as LogLine['context'], message }),
  };
  const app = express();
  app.use(requireJsonBody());
  app.use(express.json({ limit: '1kb' }));
  app
    .route('/users')
    .get((_req, res) => void res.json([]))
    .post((req, res) => void res.status(201).json(req.body))
    .all(methodNotAllowed(['GET', 'POST']));
  app.post('/validate', () => {
    throw Object.assign(new Error('invalid'), {
      issues: [
        { path: ['email'], message: 'Invalid email' },
        { path: ['items', 0, 'quantity'], message: 'Expected number, received string' },
      ],
    });
  });
  app.post('/conflict', () => {
    throw new HttpProblem({
      status: 409,
      code: 'email_taken',
      title: 'Email already registered',
      detail: 'a@b.c is taken',
      headers: { 'Retry-After': '0' },
    });
  });
  app.get('/crash', () => {
    throw new Error(`connect ECONNREFUSED redis.internal.${hostname()}:6379`);
  });
  app.get('/async-crash', async () => {
    await Promise.resolve();
    throw new TypeError('cannot read properties of undefined');
  });
  app.use(notFoundHandler());
  app.use(problemErrorHandler({ logger }));
  return app;
}

async function call(url: string, init?: RequestInit) {
  const res = await fetch(url, init);
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    headers: res.headers,
    body: (await res.json()) as Record<string, unknown>,
  };
}

const json = (body: string, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body,
});

describe('problem+json errors', () => {
  let server: Listening;
  let logs: LogLine[];
  const start = async () => {
    logs = [];
    server = await listen(buildApp(logs));
  };
  afterEach(async () => server.close());

  it('answers malformed JSON with 400 malformed_json', async () => {
    await start();
    const res = await call(`${server.url}/users`, json('{"email": '));
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/problem+json; charset=utf-8');
    expect(res.body).toEqual({
      type: 'https://shipshape.dev/problems/malformed_json',
      title: 'Malformed JSON body',
      status: 400,
      detail: 'The request body is not valid JSON.',
      code: 'malformed_json',
    });
  });

  it('answers a body over the limit with 413 payload_too_large', async () => {
    await start();
    const res = await call(`${server.url}/users`, json(JSON.stringify({ name: 'x'.repeat(2000) })));
    expect([res.status, res.body.code]).toEqual([413, 'payload_too_large']);
  });

  it('answers an unsupported charset with 415', async () => {
    await start();
    const res = await call(
      `${server.url}/users`,
      json('{}', { 'content-type': 'application/json; charset=latin1' }),
    );
    expect([res.status, res.body.code]).toEqual([415, 'unsupported_media_type']);
  });

  it('answers an unsupported content encoding with 415', async () => {
    await start();
    const res = await call(`${server.url}/users`, json('{}', { 'content-encoding': 'compress' }));
    expect([res.status, res.body.code]).toEqual([415, 'unsupported_media_type']);
  });

  it('answers a body that is not JSON with 415', async () => {
    await start();
    const res = await call(`${server.url}/users`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect([res.status, res.body.code]).toEqual([415, 'unsupported_media_type']);
  });

  it('lists every validation issue with 400 validation_failed', async () => {
    await start();
    const res = await call(`${server.url}/validate`, json('{}'));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation_failed', status: 400 });
    expect(res.body.errors).toEqual([
      { path: 'email', message: 'Invalid email' },
      { path: 'items.0.quantity', message: 'Expected number, received string' },
    ]);
  });

  it('sends an HttpProblem as thrown, with its headers', async () => {
    await start();
    const res = await call(`${server.url}/conflict`, json('{}'));
    expect(res.status).toBe(409);
    expect(res.headers.get('retry-after')).toBe('0');
    expect(res.body).toEqual({
      type: 'https://shipshape.dev/problems/email_taken',
      title: 'Email already registered',
      status: 409,
      detail: 'a@b.c is taken',
      code: 'email_taken',
    });
  });

  it('answers unknown errors with a generic 500 and logs them with the stack', async () => {
    await start();
    for (const path of ['/crash', '/async-crash']) {
      const res = await call(`${server.url}${path}`);
      expect(res.status).toBe(500);
      expect(res.body).toEqual({
        type: 'https://shipshape.dev/problems/internal_error',
        title: 'Internal server error',
        status: 500,
        detail: 'An unexpected error occurred.',
        code: 'internal_error',
      });
      expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|redis\.internal|at .*\.ts|TypeError/);
    }
    expect(logs.map((l) => [l.level, l.message, l.context.url])).toEqual([
      ['error', 'request failed: internal_error', '/crash'],
      ['error', 'request failed: internal_error', '/async-crash'],
    ]);
    expect((logs[0]!.context.err as Error).stack).toContain('error-handler.test.ts');
  });

  it('answers unknown routes with 404 not_found', async () => {
    await start();
    const res = await call(`${server.url}/nope/123`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found', detail: 'No route matches GET /nope/123.' });
  });

  it('answers a wrong method with 405 and the Allow header', async () => {
    await start();
    const res = await call(`${server.url}/users`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST, HEAD');
    expect(res.body).toMatchObject({ code: 'method_not_allowed', status: 405 });
  });
});

describe('HttpProblem', () => {
  it('is recognised by its brand, not only instanceof', () => {
    const problem = new HttpProblem({ status: 404, code: 'not_found' });
    const copy = Object.assign(Object.create(null) as object, problem, { name: 'HttpProblem' });
    expect([isHttpProblem(problem), isHttpProblem(copy), isHttpProblem(new Error('x'))]).toEqual([
      true,
      true,
      false,
    ]);
    expect(problem.message).toBe('Not Found');
  });

  it('rejects a status outside 400–599', () => {
    expect(() => new HttpProblem({ status: 302, code: 'moved' })).toThrow(
      new RangeError('status must be an integer in [400, 599], got 302'),
    );
  });
});
