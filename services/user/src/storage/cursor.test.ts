import { describe, expect, it } from 'vitest';
import { isInvalidCursorError } from '../errors/invalid-cursor-error.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

const isId = (value: string): boolean => /^[a-z0-9-]+$/.test(value);

describe('cursor', () => {
  it('round-trips the last id and is base64url', () => {
    const cursor = encodeCursor('0192f0c5-5b7e-7c3a');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, isId)).toBe('0192f0c5-5b7e-7c3a');
  });

  it.each([
    ['garbage', 'zzzz'],
    ['another version', Buffer.from('{"v":2,"after":"a"}').toString('base64url')],
    ['a bad id', Buffer.from('{"v":1,"after":"../x"}').toString('base64url')],
    ['a JSON array', Buffer.from('[1]').toString('base64url')],
  ])('rejects %s with InvalidCursorError', (_label, cursor) => {
    let caught: unknown;
    try {
      decodeCursor(cursor, isId);
    } catch (error) {
      caught = error;
    }
    expect(isInvalidCursorError(caught)).toBe(true);
  });
});
