import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { RequestRecord } from './request-record.ts';
import { findRequestRecord, onResponseEnd, requestRecord } from './request-record.ts';

/** A response stand-in: an emitter with `writableFinished`. */
function fakeResponse(finished: boolean): EventEmitter & { writableFinished: boolean } {
  return Object.assign(new EventEmitter(), { writableFinished: finished });
}

describe('request record', () => {
  it('is created once, shared by request and response, with one close listener', () => {
    const req = {};
    const res = fakeResponse(true);
    const first = requestRecord(req, res);
    expect(requestRecord(req, res)).toBe(first);
    onResponseEnd(req, res, () => undefined);
    onResponseEnd(req, res, () => undefined);
    expect(findRequestRecord(req)).toBe(first);
    expect(findRequestRecord(res)).toBe(first);
    expect(res.listenerCount('close')).toBe(1);
    expect(first.req).toBe(req);
  });

  it('runs every handler once, in order, with aborted from writableFinished', () => {
    const calls: string[] = [];
    for (const finished of [true, false]) {
      const req = {};
      const res = fakeResponse(finished);
      onResponseEnd(req, res, (_q, _s, record: RequestRecord, aborted) => {
        calls.push(`a ${aborted} ${record.req === req}`);
      });
      onResponseEnd(req, res, (_q, s, _record, aborted) => calls.push(`b ${aborted} ${s === res}`));
      res.emit('close');
    }
    expect(calls).toEqual(['a false true', 'b false true', 'a true true', 'b true true']);
  });

  it('runs the remaining handlers when one throws, then reports the first error', () => {
    const req = {};
    const res = fakeResponse(true);
    const ran: string[] = [];
    onResponseEnd(req, res, () => {
      ran.push('first');
      throw new Error('logger broke');
    });
    onResponseEnd(req, res, () => ran.push('second'));
    expect(() => res.emit('close')).toThrow('logger broke');
    expect(ran).toEqual(['first', 'second']);
  });
});
