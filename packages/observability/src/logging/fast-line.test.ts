import type { DestinationStream } from 'pino';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from './create-logger.ts';
import { writeFastLine } from './fast-line.ts';

function capture(): DestinationStream & { lines: string[] } {
  const lines: string[] = [];
  return { lines, write: (line: string) => void lines.push(line) };
}

const fields = {
  method: 'GET',
  route: '/users/:id',
  path: '/users/"42"\n',
  status: 200,
  duration_ms: 1.25,
  request_id: 'r-1',
  trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
  span_id: '00f067aa0ba902b7',
};
const fieldsJson = Object.entries(fields)
  .map(([key, value]) => `,${JSON.stringify(key)}:${JSON.stringify(value)}`)
  .join('');

describe('writeFastLine', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-28T13:41:45.120Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes byte for byte the line pino writes for the same fields', () => {
    const out = capture();
    const logger = createLogger({ service: 'orders', destination: out });
    logger.info(fields, 'request');
    expect(writeFastLine(logger, 'info', fieldsJson, 'request')).toBe(true);
    logger.warn({ ...fields, route: null, aborted: true }, 'request');
    writeFastLine(logger, 'warn', fieldsJson.replace('"/users/:id"', 'null') + ',"aborted":true', 'request');
    expect(out.lines).toHaveLength(4);
    expect(out.lines[1]).toBe(out.lines[0]);
    expect(out.lines[3]).toBe(out.lines[2]);
    expect(JSON.parse(out.lines[1]!)).toMatchObject({ level: 'info', service: 'orders', path: fields.path });
  });

  it('goes through the secret scrubber and follows later bindings and level changes', () => {
    const out = capture();
    const logger = createLogger({ service: 'orders', destination: out, secretValues: ['s3cr3t'] });
    writeFastLine(logger, 'info', ',"path":"/reset/s3cr3t"', 'request');
    expect(out.lines[0]).toContain('"path":"/reset/[REDACTED]"');
    logger.setBindings({ zone: 'b' });
    writeFastLine(logger, 'info', '', 'request');
    expect(JSON.parse(out.lines[1]!)).toMatchObject({ zone: 'b', service: 'orders' });
    logger.level = 'warn';
    expect(writeFastLine(logger, 'info', '', 'request')).toBe(true);
    expect(out.lines).toHaveLength(2);
  });

  it('declines, writing nothing, for a child or a logger createLogger did not make', () => {
    const out = capture();
    const logger = createLogger({ service: 'orders', destination: out });
    expect(writeFastLine(logger.child({ part: 'http' }), 'info', '', 'request')).toBe(false);
    expect(writeFastLine(pino(out), 'info', '', 'request')).toBe(false);
    expect(out.lines).toHaveLength(0);
  });

  it('declines for a destination that wants pino metadata (multistream)', () => {
    const out = capture();
    const logger = createLogger({ service: 'orders', destination: pino.multistream([{ stream: out }]) });
    expect(writeFastLine(logger, 'info', '', 'request')).toBe(false);
    logger.info('plain');
    expect(out.lines).toHaveLength(1);
  });
});
