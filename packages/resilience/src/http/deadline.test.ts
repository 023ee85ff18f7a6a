import { describe, expect, it } from 'vitest';
import { Deadline, readDeadlineHeader } from './deadline.ts';

describe('deadline', () => {
  it('counts down on its clock and expires with less than 1 ms left', () => {
    let now = 100;
    const d = new Deadline(50, () => now);
    now = 130;
    expect(d.remainingMs()).toBe(20);
    now = 149.5;
    expect(d.expired).toBe(true);
    now = 200;
    expect(d.remainingMs()).toBe(0);
  });

  it('reads x-request-timeout-ms and rejects malformed values', () => {
    expect(readDeadlineHeader({ 'x-request-timeout-ms': '250' })).toBe(250);
    expect(readDeadlineHeader({ 'x-request-timeout-ms': ['90', '10'] })).toBe(90);
    expect(readDeadlineHeader({ 'x-request-timeout-ms': '-5' })).toBeUndefined();
    expect(readDeadlineHeader({})).toBeUndefined();
  });
});
