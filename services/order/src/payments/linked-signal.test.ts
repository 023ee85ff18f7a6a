import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { linkSignals } from './linked-signal.ts';

describe('linkSignals', () => {
  it('aborts with the reason of whichever source aborts', () => {
    const job = new AbortController();
    const pipeline = new AbortController();
    const linked = linkSignals([job.signal, pipeline.signal]);
    expect(linked.signal?.aborted).toBe(false);
    pipeline.abort(new Error('shutting down'));
    expect(linked.signal?.aborted).toBe(true);
    expect((linked.signal?.reason as Error).message).toBe('shutting down');
  });

  it('leaves no listener on a long-lived source once disposed', () => {
    const pipeline = new AbortController();
    for (let i = 0; i < 1000; i++) {
      const linked = linkSignals([new AbortController().signal, pipeline.signal]);
      linked.dispose();
      linked.dispose();
    }
    expect(getEventListeners(pipeline.signal, 'abort')).toHaveLength(0);
    // …and a disposed link no longer follows its sources.
    const linked = linkSignals([new AbortController().signal, pipeline.signal]);
    linked.dispose();
    pipeline.abort();
    expect(linked.signal?.aborted).toBe(false);
  });

  it('is aborted at once when a source already is, and passes a single source through', () => {
    const aborted = AbortSignal.abort(new Error('gone'));
    expect(linkSignals([new AbortController().signal, aborted]).signal?.aborted).toBe(true);
    const only = new AbortController().signal;
    expect(linkSignals([undefined, only]).signal).toBe(only);
    expect(linkSignals([undefined, undefined]).signal).toBeUndefined();
  });
});
