import { describe, expect, it } from 'vitest';
import { uuidV7 } from './uuid-v7.ts';

describe('uuidV7', () => {
  it('encodes the time, version 7 and the RFC variant', () => {
    const id = uuidV7(0x0192f0c55b7e, () => new Uint8Array(16).fill(0xff));
    expect(id).toBe('0192f0c5-5b7e-7fff-bfff-ffffffffffff');
  });

  it('sorts lexicographically by time across milliseconds', () => {
    const inTimeOrder = [1, 5, 300, 70_000, 2 ** 40].map((ms) => uuidV7(ms));
    expect([...inTimeOrder].reverse().sort()).toEqual(inTimeOrder);
  });

  it('rejects a time outside 48 bits with a RangeError', () => {
    expect(() => uuidV7(2 ** 48)).toThrow(RangeError);
    expect(() => uuidV7(-1)).toThrow(/nowMs must be/);
  });
});
