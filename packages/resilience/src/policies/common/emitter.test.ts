import { describe, expect, it, vi } from 'vitest';
import { Emitter } from './emitter.ts';

describe('Emitter', () => {
  it('is inactive until a listener subscribes and after it disposes', () => {
    const emitter = new Emitter<number>();
    expect(emitter.active).toBe(false);
    const subscription = emitter.subscribe(() => undefined);
    expect(emitter.active).toBe(true);
    subscription.dispose();
    expect(emitter.active).toBe(false);
  });

  it('delivers to every listener in subscription order', () => {
    const emitter = new Emitter<number>();
    const seen: string[] = [];
    emitter.subscribe((n) => seen.push(`a${n}`));
    emitter.subscribe((n) => seen.push(`b${n}`));
    emitter.emit(1);
    expect(seen).toEqual(['a1', 'b1']);
  });

  it('a listener disposing another during delivery does not skip or break the current round', () => {
    const emitter = new Emitter<number>();
    const seen: string[] = [];
    const second = { dispose: () => undefined };
    emitter.subscribe(() => {
      seen.push('first');
      second.dispose();
    });
    Object.assign(
      second,
      emitter.subscribe(() => seen.push('second')),
    );
    emitter.emit(1);
    emitter.emit(2);
    expect(seen).toEqual(['first', 'second', 'first']);
  });

  it('a throwing listener neither stops the others nor throws into the emitter; its error becomes a process warning', () => {
    const emitter = new Emitter<number>();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const seen: number[] = [];
    emitter.subscribe(() => {
      throw new Error('listener bug');
    });
    emitter.subscribe((n) => seen.push(n));
    expect(() => emitter.emit(7)).not.toThrow();
    expect(seen).toEqual([7]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect((warn.mock.calls[0]![0] as Error).message).toBe('listener bug');
  });

  it('the same listener subscribed twice is called twice and disposed one subscription at a time', () => {
    const emitter = new Emitter<number>();
    let calls = 0;
    const listener = (): void => void calls++;
    const first = emitter.subscribe(listener);
    emitter.subscribe(listener);
    first.dispose();
    emitter.emit(1);
    expect(calls).toBe(1);
  });
});
