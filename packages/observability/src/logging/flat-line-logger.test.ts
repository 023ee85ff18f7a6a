import { describe, expect, it } from 'vitest';
import { captureLines } from '../../test/logging/capture.ts';
import { createLogger } from './create-logger.ts';
import { flatLineLogger } from './flat-line-logger.ts';

describe('flatLineLogger', () => {
  it('writes the same flat line as its logger, secrets scrubbed', () => {
    const plain = captureLines();
    const flat = captureLines();
    const line = { method: 'GET', route: '/users/:id', status: 200, password: 'hunter2', dsn: 'x:s3cret@y' };
    const options = { service: 'orders', secretValues: ['s3cret'] };
    createLogger({ ...options, destination: plain }).info(line, 'request');
    flatLineLogger(createLogger({ ...options, destination: flat })).info(line, 'request');
    const strip = (parsed: Record<string, unknown>) => ({ ...parsed, time: undefined, pid: undefined });
    expect(strip(flat.parsed()[0]!)).toEqual(strip(plain.parsed()[0]!));
    expect(flat.parsed()[0]).toMatchObject({ password: '[REDACTED]', dsn: 'x:[REDACTED]@y', status: 200 });
  });

  it('keeps top-level extra paths, bracketed ones included', () => {
    const out = captureLines();
    const logger = createLogger({
      service: 'orders',
      destination: out,
      redactPaths: ['route', '["request_id"]', 'card.number'],
    });
    flatLineLogger(logger).info({ route: '/users/:id', request_id: 'abc', path: '/users/1' });
    expect(out.parsed()[0]).toMatchObject({
      route: '[REDACTED]',
      request_id: '[REDACTED]',
      path: '/users/1',
    });
  });

  it('follows the level of its logger and returns a foreign logger as it is', () => {
    const out = captureLines();
    const logger = createLogger({ service: 'orders', destination: out, level: 'warn' });
    const flat = flatLineLogger(logger);
    flat.info({ status: 200 });
    logger.level = 'info';
    flat.info({ status: 201 });
    expect(out.parsed().map((l) => l['status'])).toEqual([201]);
    const foreign = flatLineLogger(flat);
    expect(foreign).toBe(flat);
  });
});
