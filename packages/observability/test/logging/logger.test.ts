import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger, runWithRequestContext } from '../../src/logging/index.ts';
import type { Tracing } from '../../src/tracing/index.ts';
import { startTracing } from '../../src/tracing/index.ts';
import { captureLines } from './capture.ts';

describe('createLogger', () => {
  let tracing: Tracing;
  beforeAll(async () => {
    tracing = await startTracing({
      serviceName: 'logger-test',
      spanProcessors: [new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })],
      instrumentations: [],
    });
  });
  afterAll(() => tracing.shutdown());

  it('writes JSON lines with the service, a text level and an ISO time', () => {
    const out = captureLines();
    createLogger({ service: 'orders', destination: out }).info('hello');
    const [line] = out.parsed();
    expect(line).toMatchObject({ service: 'orders', level: 'info', msg: 'hello' });
    expect(new Date(line!['time'] as string).toISOString()).toBe(line!['time']);
  });

  it('adds the trace and span id of the active span to every line', () => {
    const out = captureLines();
    const logger = createLogger({ service: 'orders', destination: out });
    const ids = trace.getTracer('test').startActiveSpan('work', (span) => {
      logger.info('inside');
      span.end();
      return span.spanContext();
    });
    logger.info('outside');
    const [inside, outside] = out.parsed();
    expect(inside).toMatchObject({ trace_id: ids.traceId, span_id: ids.spanId, trace_flags: '01' });
    expect(outside).not.toHaveProperty('trace_id');
  });

  it('adds the request id of the current request context', () => {
    const out = captureLines();
    const logger = createLogger({ service: 'orders', destination: out });
    runWithRequestContext({ requestId: 'req-42' }, () => logger.info('in a request'));
    expect(out.parsed()[0]).toMatchObject({ request_id: 'req-42' });
  });

  it('reads the level from LOG_LEVEL when none is given', () => {
    vi.stubEnv('LOG_LEVEL', 'warn');
    const out = captureLines();
    const logger = createLogger({ service: 'orders', destination: out });
    logger.info('dropped');
    logger.warn('kept');
    expect(out.parsed().map((line) => line['msg'])).toEqual(['kept']);
  });

  it('rejects an unknown level naming the option and the value', () => {
    expect(() => createLogger({ service: 'orders', level: 'verbose' })).toThrow(
      new RangeError('level must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"'),
    );
  });

  it('rejects an empty service name', () => {
    expect(() => createLogger({ service: '' })).toThrow(RangeError);
  });
});

describe('redaction', () => {
  const headers = {
    authorization: 'Bearer top-secret-token',
    cookie: 'session=cookie-value-123',
    'idempotency-key': 'idem-key-789',
    accept: 'application/json',
  };

  it('redacts authorization and cookie headers', () => {
    const out = captureLines();
    createLogger({ service: 'orders', destination: out }).info({ req: { headers } }, 'incoming');
    const raw = out.raw.join('');
    expect(raw).not.toContain('top-secret-token');
    expect(raw).not.toContain('cookie-value-123');
    expect(out.parsed()[0]).toMatchObject({
      req: { headers: { authorization: '[REDACTED]', cookie: '[REDACTED]', accept: 'application/json' } },
    });
  });

  it('keeps the Idempotency-Key unless redactIdempotencyKey is set', () => {
    const kept = captureLines();
    createLogger({ service: 'payments', destination: kept }).info({ req: { headers } });
    expect(kept.raw.join('')).toContain('idem-key-789');
    const redacted = captureLines();
    createLogger({ service: 'payments', destination: redacted, redactIdempotencyKey: true }).info({
      req: { headers },
    });
    expect(redacted.raw.join('')).not.toContain('idem-key-789');
  });

  it('redacts extra paths', () => {
    const out = captureLines();
    createLogger({ service: 'orders', destination: out, redactPaths: ['card.number'] }).info({
      card: { number: '4111111111111111', brand: 'visa' },
    });
    expect(out.parsed()[0]).toMatchObject({ card: { number: '[REDACTED]', brand: 'visa' } });
  });

  it('scrubs secret values from messages, fields and errors', () => {
    const out = captureLines();
    const logger = createLogger({
      service: 'orders',
      destination: out,
      secretValues: ['hunter2-db-password', 'quote"and\\slash'],
    });
    logger.info('connecting with hunter2-db-password');
    logger.info({ dsn: 'redis://:hunter2-db-password@cache:6379' }, 'dsn');
    logger.error(new Error('auth failed for quote"and\\slash'), 'failed');
    const raw = out.raw.join('');
    expect(raw).not.toContain('hunter2-db-password');
    expect(raw).not.toContain('quote\\"and\\\\slash');
    expect(out.parsed()[1]).toMatchObject({ dsn: 'redis://:[REDACTED]@cache:6379' });
  });
});
