import { resolveTargets, runLoad, formatSummary, maxRate } from '@shipshape/load';
import type { LoadStatus, ServiceId } from '../shared/console-state.ts';

/** Longest load the page may start, s. */
export const maxLoadSeconds = 3_600;

/** A load request from the page that cannot run. */
export class LoadRequestError extends Error {
  override readonly name = 'LoadRequestError';
  readonly code = 'ERR_CONSOLE_BAD_LOAD';
}

/**
 * One open-loop load run at a time against the console's system, through `@shipshape/load`'s
 * `runLoad` (the same generator as `npm run load`, default mix), with its progress every second.
 */
export class LoadControl {
  readonly #urls: Readonly<Record<ServiceId, readonly string[]>>;
  readonly #onStatus: (status: LoadStatus) => void;
  #abort: AbortController | undefined;
  #status: LoadStatus = {
    running: false,
    rate: 0,
    durationSeconds: 0,
    elapsedSeconds: 0,
    sent: 0,
    completed: 0,
    statuses: {},
  };

  constructor(urls: Readonly<Record<ServiceId, readonly string[]>>, onStatus: (status: LoadStatus) => void) {
    this.#urls = urls;
    this.#onStatus = onStatus;
  }

  get status(): LoadStatus {
    return this.#status;
  }

  /**
   * Starts `rate` req/s for `durationSeconds` (steady profile, the default mix).
   * @throws LoadRequestError when a run is going or the figures are out of range
   */
  start(rate: number, durationSeconds: number): void {
    if (this.#abort) throw new LoadRequestError('a load is already running: stop it first');
    if (!(rate > 0 && rate <= maxRate)) throw new LoadRequestError(`rate must be 1..${maxRate} req/s`);
    if (!(durationSeconds > 0 && durationSeconds <= maxLoadSeconds))
      throw new LoadRequestError(`duration must be 1..${maxLoadSeconds} s`);
    const abort = new AbortController();
    this.#abort = abort;
    const join = (service: ServiceId): string => this.#urls[service].join(',');
    this.#set({
      running: true,
      rate,
      durationSeconds,
      elapsedSeconds: 0,
      sent: 0,
      completed: 0,
      statuses: {},
    });
    runLoad({
      targets: resolveTargets({ user: join('user'), order: join('order'), payment: join('payment') }, {}),
      profile: { profile: 'steady', rate, durationMs: durationSeconds * 1000 },
      signal: abort.signal,
      maxInFlight: 512,
      onProgress: (p) =>
        this.#set({
          ...this.#status,
          elapsedSeconds: p.elapsedMs / 1000,
          sent: this.#status.sent + p.sent, // the snapshot counts since the previous one
          completed: this.#status.completed + p.completed,
          statuses: Object.fromEntries(p.statuses),
        }),
    })
      .then(
        (result) =>
          this.#set({
            running: false,
            rate,
            durationSeconds,
            elapsedSeconds: result.elapsedMs / 1000,
            sent: result.sent,
            completed: result.completed,
            statuses: result.statuses,
            summary: formatSummary(result),
          }),
        (error: unknown) => this.#set({ ...this.#status, running: false, error: (error as Error).message }),
      )
      .finally(() => {
        if (this.#abort === abort) this.#abort = undefined;
      });
  }

  /** Stops the running load early (its summary still arrives); no-op when none runs. */
  stop(): void {
    this.#abort?.abort();
  }

  #set(status: LoadStatus): void {
    this.#status = status;
    this.#onStatus(status);
  }
}
