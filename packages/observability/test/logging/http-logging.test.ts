import { request } from 'node:http';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { context, SpanKind } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { waitFor } from '@shipshape/test-harness';
import type express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accessLog, createLogger, requestId } from '../../src/logging/index.ts';
import type { Tracing } from '../../src/tracing/index.ts';
import { startTracing } from '../../src/tracing/index.ts';
import type { CapturedLines } from './capture.ts';
import { captureLines } from './capture.ts';

// Loaded with require() after startTracing so that the http and express instrumentations patch
// them (vitest's own module loader bypasses the ESM hook of the register entry).
const require = createRequire(import.meta.url);

const untracedFetch = (url: string, init?: RequestInit): Promise<Response> =>
  context.with(suppressTracing(context.active()), () => fetch(url, init));

describe('request id and access log middleware', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let server: Server;
  let base: string;
  let out: CapturedLines;
  let releaseSlow: () => void = () => undefined;

  beforeAll(async () => {
    tracing = await startTracing({
      serviceName: 'http-logging',
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    const createApp = require('express') as typeof express;
    out = captureLines();
    const logger = createLogger({ service: 'orders', destination: out, secretValues: ['s3cr3t-value'] });
    const app = createApp();
    app.use(requestId());
    app.use(accessLog({ logger, ignorePaths: ['/health'] }));
    app.get('/health', (_req, res) => {
      res.send('ok');
    });
    app.get('/orders/:id', (req, res) => {
      logger.info({ req: { headers: req.headers } }, 'loading order with s3cr3t-value');
      res.json({ id: req.params.id });
    });
    app.get('/boom', (_req, res) => {
      res.status(500).json({ code: 'internal' });
    });
    app.get('/slow', (req) => {
      // Never answers: the client gives up first.
      releaseSlow();
      req.on('close', () => undefined);
    });
    const v1 = createApp.Router();
    v1.get('/users/:id', (_req, res) => {
      res.json({});
    });
    app.use('/v1', v1);
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await tracing.shutdown();
  });

  beforeEach(() => {
    out.raw.length = 0;
    exporter.reset();
  });

  const accessLines = (): Record<string, unknown>[] =>
    out.parsed().filter((line) => line['msg'] === 'request');

  it('writes exactly one access line per request with route template, status, duration and ids', async () => {
    const response = await untracedFetch(`${base}/orders/123?token=abc`);
    await waitFor('access line', () => accessLines().length === 1, { timeoutMs: 5_000 });
    await tracing.forceFlush();
    const serverSpan = exporter.getFinishedSpans().find((span) => span.kind === SpanKind.SERVER);
    const [line] = accessLines();
    expect(line).toMatchObject({
      level: 'info',
      service: 'orders',
      method: 'GET',
      route: '/orders/:id',
      path: '/orders/123',
      status: 200,
      request_id: response.headers.get('x-request-id'),
      trace_id: serverSpan!.spanContext().traceId,
    });
    expect(typeof line!['duration_ms']).toBe('number');
    expect(line!['duration_ms']).toBeGreaterThanOrEqual(0);
    expect(accessLines()).toHaveLength(1);
  });

  it('gives log lines written in a handler the trace id and request id of the request', async () => {
    const response = await untracedFetch(`${base}/orders/9`);
    await waitFor('access line', () => accessLines().length === 1, { timeoutMs: 5_000 });
    const handlerLine = out.parsed().find((line) => line['msg'] !== 'request')!;
    const [access] = accessLines();
    expect(handlerLine['request_id']).toBe(response.headers.get('x-request-id'));
    expect(handlerLine['trace_id']).toBe(access!['trace_id']);
    expect(handlerLine['trace_id']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('never writes the authorization header, the cookie or a secret value', async () => {
    await untracedFetch(`${base}/orders/1`, {
      headers: { authorization: 'Bearer very-private-token', cookie: 'sid=very-private-cookie' },
    });
    await waitFor('access line', () => accessLines().length === 1, { timeoutMs: 5_000 });
    const raw = out.raw.join('');
    expect(raw).toContain('loading order with [REDACTED]');
    expect(raw).not.toContain('very-private-token');
    expect(raw).not.toContain('very-private-cookie');
    expect(raw).not.toContain('s3cr3t-value');
  });

  it('reuses a valid incoming x-request-id and echoes it', async () => {
    const response = await untracedFetch(`${base}/orders/1`, {
      headers: { 'x-request-id': 'abc-123.def:4' },
    });
    expect(response.headers.get('x-request-id')).toBe('abc-123.def:4');
    await waitFor('access line', () => accessLines().length === 1, { timeoutMs: 5_000 });
    expect(accessLines()[0]).toMatchObject({ request_id: 'abc-123.def:4' });
  });

  it('replaces an incoming x-request-id that is too long or has forbidden characters', async () => {
    const tooLong = await untracedFetch(`${base}/orders/1`, { headers: { 'x-request-id': 'a'.repeat(129) } });
    const forbidden = await untracedFetch(`${base}/orders/1`, { headers: { 'x-request-id': 'evil" id' } });
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    expect(tooLong.headers.get('x-request-id')).toMatch(uuid);
    expect(forbidden.headers.get('x-request-id')).toMatch(uuid);
  });

  it('logs the mount path with the route template of a nested router', async () => {
    await untracedFetch(`${base}/v1/users/77`);
    await waitFor('access line', () => accessLines().length === 1, { timeoutMs: 5_000 });
    expect(accessLines()[0]).toMatchObject({ route: '/v1/users/:id', path: '/v1/users/77' });
  });

  it('logs an unmatched route as null at warn level, never the raw path as route', async () => {
    await untracedFetch(`${base}/nothing/here`);
    await waitFor('access line', () => accessLines().length === 1, { timeoutMs: 5_000 });
    expect(accessLines()[0]).toMatchObject({ route: null, status: 404, level: 'warn' });
  });

  it('logs a 5xx at error level', async () => {
    await untracedFetch(`${base}/boom`);
    await waitFor('access line', () => accessLines().length === 1, { timeoutMs: 5_000 });
    expect(accessLines()[0]).toMatchObject({ status: 500, level: 'error' });
  });

  it('skips ignored paths', async () => {
    await untracedFetch(`${base}/health`);
    await untracedFetch(`${base}/orders/1`);
    await waitFor('access line', () => accessLines().length === 1, { timeoutMs: 5_000 });
    expect(accessLines().map((line) => line['path'])).toEqual(['/orders/1']);
  });

  it('writes one line marked aborted when the client goes away before the response', async () => {
    const reached = new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    const client = context.with(suppressTracing(context.active()), () => request(`${base}/slow`));
    client.on('error', () => undefined);
    client.end();
    await reached;
    client.destroy();
    await waitFor('access line', () => accessLines().length === 1, { timeoutMs: 5_000 });
    // Kept real: a quiet period is the claim (no second access line comes later).
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(accessLines()).toHaveLength(1);
    expect(accessLines()[0]).toMatchObject({ route: '/slow', aborted: true, level: 'warn' });
  });
});
