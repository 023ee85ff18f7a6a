import { describe, expect, it } from 'vitest';
import { ProcessorLine } from './processor-line.ts';

describe('ProcessorLine', () => {
  it('lets capacity charges in at once and the rest in arrival order as turns end', async () => {
    const line = new ProcessorLine(() => 2);
    const order: number[] = [];
    const leaves = await Promise.all([line.enter(undefined), line.enter(undefined)]);
    const third = line.enter(undefined).then((leave) => (order.push(3), leave));
    const fourth = line.enter(undefined).then((leave) => (order.push(4), leave));
    expect(line.size).toEqual({ active: 2, waiting: 2 });
    leaves[0]();
    leaves[0](); // ending a turn twice frees one place only
    await third;
    expect(order).toEqual([3]);
    expect(line.size).toEqual({ active: 2, waiting: 1 });
    leaves[1]();
    (await fourth)();
    expect(order).toEqual([3, 4]);
  });

  it('has no line at capacity 0', async () => {
    const line = new ProcessorLine(() => 0);
    await Promise.all(Array.from({ length: 50 }, () => line.enter(undefined)));
    expect(line.size).toEqual({ active: 50, waiting: 0 });
  });

  it('frees the place of a charge whose caller gave up while waiting', async () => {
    const line = new ProcessorLine(() => 1);
    const leave = await line.enter(undefined);
    const controller = new AbortController();
    const waiting = line.enter(controller.signal);
    controller.abort(new Error('deadline passed'));
    await expect(waiting).rejects.toThrow('deadline passed');
    expect(line.size).toEqual({ active: 1, waiting: 0 });
    leave();
    expect(line.size.active).toBe(0);
  });
});
