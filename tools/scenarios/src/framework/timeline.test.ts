import { afterEach, describe, expect, it, vi } from 'vitest';
import { runTimeline, type TimelineStep } from './timeline.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('runTimeline', () => {
  it('runs the steps in order, each at its planned time', async () => {
    vi.useFakeTimers();
    const start = Date.now();
    const elapsedMs = (): number => Date.now() - start;
    const ran: [string, number][] = [];
    const step = (name: string, atMs: number): TimelineStep<null> => ({
      atMs,
      name,
      run: () => {
        ran.push([name, elapsedMs()]);
        return Promise.resolve();
      },
    });
    const done = runTimeline({
      steps: [step('kill', 1_000), step('start', 3_000)],
      context: null,
      fault: true,
      elapsedMs,
    });
    await vi.advanceTimersByTimeAsync(5_000);
    const events = await done;
    expect(ran).toEqual([
      ['kill', 1_000],
      ['start', 3_000],
    ]);
    expect(events.map((e) => [e.name, e.startedMs, e.skipped])).toEqual([
      ['kill', 1_000, false],
      ['start', 3_000, false],
    ]);
  });

  it('skips fault steps but runs actions when the fault is switched off', async () => {
    const ran: string[] = [];
    const events = await runTimeline<null>({
      steps: [
        { atMs: 0, name: 'inject', run: () => Promise.resolve(void ran.push('inject')) },
        { atMs: 0, name: 'replay', kind: 'action', run: () => Promise.resolve(void ran.push('replay')) },
      ],
      context: null,
      fault: false,
      elapsedMs: () => 0,
    });
    expect(ran).toEqual(['replay']);
    expect(events.map((e) => [e.name, e.kind, e.skipped])).toEqual([
      ['inject', 'fault', true],
      ['replay', 'action', false],
    ]);
  });

  it('records a step that throws and goes on with the next one', async () => {
    const events = await runTimeline<null>({
      steps: [
        { atMs: 0, name: 'kill', run: () => Promise.reject(new Error('no such process')) },
        { atMs: 0, name: 'start', run: () => Promise.resolve() },
      ],
      context: null,
      fault: true,
      elapsedMs: () => 0,
    });
    expect(events.map((e) => [e.name, e.error])).toEqual([
      ['kill', 'no such process'],
      ['start', undefined],
    ]);
  });

  it('stops waiting when aborted and leaves later steps unrun', async () => {
    const controller = new AbortController();
    const ran: string[] = [];
    const done = runTimeline<null>({
      steps: [{ atMs: 60_000, name: 'late', run: () => Promise.resolve(void ran.push('late')) }],
      context: null,
      fault: true,
      elapsedMs: () => 0,
      signal: controller.signal,
    });
    controller.abort();
    expect(await done).toEqual([]);
    expect(ran).toEqual([]);
  });
});
