// The level of a request's outcome: the error handler's `logLevel` decides it for a problem and
// the access line follows, so an outcome the service gives on purpose (an injected fault) is
// one `info` line without a stack in each, a rejected request `warn` with its reason, and only a
// real failure keeps `error` and its stack.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from '@shipshape/test-harness';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpProblem, problemErrorHandler } from '../../src/http/index.ts';
import { accessLog, createLogger, requestId } from '../../src/logging/index.ts';
import type { CapturedLines } from './capture.ts';
import { captureLines } from './capture.ts';

describe('outcome levels of the error handler and the access log', () => {
  let server: Server;
  let base: string;
  let out: CapturedLines;

  beforeAll(async () => {
    out = captureLines();
    const logger = createLogger({ service: 'orders', destination: out });
    const app = express();
    app.use(requestId());
    app.use(accessLog({ logger }));
    app.get('/injected', () => {
      throw new HttpProblem({ status: 503, code: 'service_unavailable', detail: 'Injected fault.' });
    });
    app.get('/crash', () => {
      throw new Error('redis is gone');
    });
    app.get('/invalid', () => {
      throw new HttpProblem({
        status: 400,
        code: 'validation_failed',
        detail: 'email must be an address',
        cause: new Error('parse failed', { cause: new TypeError('not a string') }),
      });
    });
    app.get('/limited', (_req, res) => {
      res.status(429).json({ code: 'rate_limited' });
    });
    app.use(
      problemErrorHandler({
        logger,
        logLevel: (problem) =>
          problem.message === 'Injected fault.' ? 'info' : problem.status >= 500 ? 'error' : 'warn',
      }),
    );
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  beforeEach(() => {
    out.raw.length = 0;
  });

  /** The handler's line and the access line of one request. */
  async function linesOf(
    path: string,
  ): Promise<{ outcome?: Record<string, unknown>; access: Record<string, unknown> }> {
    await fetch(`${base}${path}`);
    await waitFor('access line', () => out.parsed().some((line) => line['msg'] === 'request'), {
      timeoutMs: 5_000,
    });
    const lines = out.parsed();
    return {
      ...(lines.length > 1 ? { outcome: lines.find((line) => line['msg'] !== 'request')! } : {}),
      access: lines.find((line) => line['msg'] === 'request')!,
    };
  }

  it('logs an outcome the service calls expected at info, without a stack, in both lines', async () => {
    const { outcome, access } = await linesOf('/injected');
    expect(outcome).toMatchObject({
      level: 'info',
      msg: 'request answered: service_unavailable',
      code: 'service_unavailable',
      status: 503,
      detail: 'Injected fault.',
    });
    expect(outcome).not.toHaveProperty('err');
    expect(access).toMatchObject({ level: 'info', status: 503 });
  });

  it('keeps a failure at error with its stack in both lines', async () => {
    const { outcome, access } = await linesOf('/crash');
    expect(outcome).toMatchObject({ level: 'error', msg: 'request failed: internal_error' });
    expect((outcome!['err'] as { stack: string }).stack).toContain('redis is gone');
    expect(access).toMatchObject({ level: 'error', status: 500 });
  });

  it('keeps a rejected request at warn, with the reason and without a stack', async () => {
    const { outcome, access } = await linesOf('/invalid');
    expect(outcome).toMatchObject({
      level: 'warn',
      msg: 'request rejected: validation_failed',
      detail: 'email must be an address',
      reason: 'Error: parse failed; caused by TypeError: not a string',
    });
    expect(outcome).not.toHaveProperty('err');
    expect(access).toMatchObject({ level: 'warn', status: 400 });
  });

  it('logs a 429 the limiter answered itself at info: one access line, no warning', async () => {
    const { outcome, access } = await linesOf('/limited');
    expect(outcome).toBeUndefined();
    expect(access).toMatchObject({ level: 'info', status: 429 });
  });
});
