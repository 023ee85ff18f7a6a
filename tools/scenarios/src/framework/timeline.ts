/**
 * One action on a scenario's timeline. Steps run in order; each waits until `atMs` after the
 * load started (or starts at once when the previous step overran).
 */
export interface TimelineStep<Ctx> {
  /** Planned start, ms after the load started. */
  readonly atMs: number;
  /** What it does, as printed: `SIGKILL payment-0`. */
  readonly name: string;
  /**
   * `fault` steps inject the fault and are skipped by `--no-fault`; `action` steps (clearing a
   * setting, replaying dead letters) always run.
   * @default 'fault'
   */
  readonly kind?: 'fault' | 'action';
  run(context: Ctx): Promise<void>;
}

/** What happened to one step, times in ms after the load started. */
export interface TimelineEvent {
  readonly name: string;
  readonly kind: 'fault' | 'action';
  readonly plannedAtMs: number;
  /** When it started; for a skipped step, its planned time. */
  readonly startedMs: number;
  /** When it finished (or threw); for a skipped step, its planned time. */
  readonly endedMs: number;
  /** `--no-fault` skipped it. */
  readonly skipped: boolean;
  /** Message of the error it threw. */
  readonly error?: string;
}

/** Options of {@link runTimeline}. */
export interface RunTimelineOptions<Ctx> {
  readonly steps: readonly TimelineStep<Ctx>[];
  readonly context: Ctx;
  /** Whether fault steps run (`false` for `--no-fault`). */
  readonly fault: boolean;
  /** Milliseconds since the load started. */
  readonly elapsedMs: () => number;
  /** Called when a step starts and when it ends. */
  readonly onEvent?: (event: TimelineEvent, phase: 'start' | 'end') => void;
  /** Stops waiting for the next step; steps not started are not run. */
  readonly signal?: AbortSignal;
}

/**
 * Runs the steps in order at their planned times. A step that throws is recorded with its error
 * and the timeline goes on (later steps usually undo the fault, and the error is itself evidence
 * for the verdict). Resolves with every step's event.
 */
export async function runTimeline<Ctx>(options: RunTimelineOptions<Ctx>): Promise<TimelineEvent[]> {
  const events: TimelineEvent[] = [];
  for (const step of options.steps) {
    await sleepUntil(step.atMs, options.elapsedMs, options.signal);
    if (options.signal?.aborted) break;
    const kind = step.kind ?? 'fault';
    if (kind === 'fault' && !options.fault) {
      const skipped: TimelineEvent = {
        name: step.name,
        kind,
        plannedAtMs: step.atMs,
        startedMs: step.atMs,
        endedMs: step.atMs,
        skipped: true,
      };
      events.push(skipped);
      options.onEvent?.(skipped, 'end');
      continue;
    }
    const startedMs = options.elapsedMs();
    const started = {
      name: step.name,
      kind,
      plannedAtMs: step.atMs,
      startedMs,
      endedMs: startedMs,
      skipped: false,
    };
    options.onEvent?.(started, 'start');
    let error: string | undefined;
    try {
      await step.run(options.context);
    } catch (caught) {
      error = (caught as Error).message;
    }
    const ended: TimelineEvent = {
      ...started,
      endedMs: options.elapsedMs(),
      ...(error === undefined ? {} : { error }),
    };
    events.push(ended);
    options.onEvent?.(ended, 'end');
  }
  return events;
}

function sleepUntil(atMs: number, elapsedMs: () => number, signal?: AbortSignal): Promise<void> {
  const waitMs = atMs - elapsedMs();
  if (waitMs <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, waitMs);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The event of the first step whose name starts with `prefix`, or undefined. */
export function findEvent(events: readonly TimelineEvent[], prefix: string): TimelineEvent | undefined {
  return events.find((event) => event.name.startsWith(prefix));
}
