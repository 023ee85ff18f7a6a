import type { ArrivalSchedule } from './profiles/arrival-schedule.ts';
import { systemClock, type Clock } from './clock.ts';

/** Options of {@link runOpenLoop}. */
export interface OpenLoopOptions {
  /** When each request is due. */
  schedule: ArrivalSchedule;
  /** Called for each due request, without waiting for earlier ones; the promise settles when it is done. */
  fire: (index: number, intendedMs: number) => Promise<void>;
  /** Called for each due request skipped because `maxInFlight` requests were outstanding. */
  drop: (index: number, intendedMs: number) => void;
  /** Stop after this many requests were due (sent or dropped). @default Infinity */
  maxRequests?: number;
  /** Most requests outstanding at once; beyond it due requests are dropped and counted. @default 1024 */
  maxInFlight?: number;
  /** Stops scheduling (in-flight requests still finish). */
  signal?: AbortSignal;
  /** Time source. @default systemClock */
  clock?: Clock;
  /** Most requests fired in one turn of the event loop before yielding to I/O. @default 256 */
  batchSize?: number;
}

/** What the scheduler did. */
export interface OpenLoopResult {
  /** Clock time the schedule started. */
  readonly startMs: number;
  /** Requests that were due and fired. */
  readonly fired: number;
  /** Requests that were due and dropped. */
  readonly dropped: number;
  /** Whether the run stopped early because of the signal. */
  readonly aborted: boolean;
}

/**
 * Sends requests on schedule whatever the server does (open loop): request i is fired at
 * start + t_i without waiting for any response. When the process falls behind (a GC pause, a
 * blocked event loop) the overdue requests are fired at once, keeping their intended times, so
 * the delay shows up in latency instead of disappearing. The `maxInFlight` valve protects the
 * generator itself; what it skips is counted, never silently delayed.
 * Resolves once every due request has been fired or dropped (responses may still be pending).
 */
export function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const clock = options.clock ?? systemClock;
  const maxInFlight = options.maxInFlight ?? 1024;
  const batchSize = options.batchSize ?? 256;
  const maxRequests = options.maxRequests ?? Number.POSITIVE_INFINITY;
  if (!(Number.isInteger(maxInFlight) && maxInFlight >= 1)) {
    throw new RangeError(`maxInFlight must be an integer >= 1, got ${maxInFlight}`);
  }
  if (!(maxRequests >= 0)) throw new RangeError(`maxRequests must be >= 0, got ${maxRequests}`);
  const total = Math.min(options.schedule.totalRequests, maxRequests);
  const startMs = clock.now();
  let next = 0;
  let inFlight = 0;
  let fired = 0;
  let dropped = 0;
  let cancelTimer: (() => void) | undefined;

  return new Promise((resolve) => {
    const finish = (aborted: boolean): void => {
      cancelTimer?.();
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ startMs, fired, dropped, aborted });
    };
    const onAbort = (): void => finish(true);
    if (options.signal?.aborted) {
      finish(true);
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const tick = (): void => {
      cancelTimer = undefined;
      if (options.signal?.aborted) return;
      const elapsed = clock.now() - startMs;
      let batch = 0;
      while (next < total && batch < batchSize) {
        const offset = options.schedule.intendedOffsetMs(next);
        if (offset > elapsed) break;
        const index = next++;
        batch += 1;
        const intendedMs = startMs + offset;
        if (inFlight >= maxInFlight) {
          dropped += 1;
          options.drop(index, intendedMs);
          continue;
        }
        inFlight += 1;
        fired += 1;
        options
          .fire(index, intendedMs)
          .catch(() => undefined)
          .finally(() => {
            inFlight -= 1;
          });
      }
      if (next >= total) {
        finish(false);
        return;
      }
      const wait = batch >= batchSize ? 0 : options.schedule.intendedOffsetMs(next) - (clock.now() - startMs);
      cancelTimer = clock.setTimer(tick, Math.max(0, wait));
    };
    tick();
  });
}
