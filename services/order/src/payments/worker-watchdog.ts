/**
 * Notices a payment worker that stopped taking jobs. BullMQ workers can stay silent after a Redis
 * failover (a master killed with its container: no error, `isRunning()` true, jobs left in
 * `wait`), so the order pipeline asks this, at each backlog check, whether its worker made
 * progress lately while charges were waiting, and replaces the worker when it did not.
 */
export class WorkerWatchdog {
  #lastActivityMs: number;
  readonly #now: () => number;

  /** @param now the clock, in ms (tests pass their own) */
  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
    this.#lastActivityMs = now();
  }

  /** A charge started or finished (or a new worker started): the worker is alive. */
  observeActivity(): void {
    this.#lastActivityMs = this.#now();
  }

  /** Milliseconds since the last activity. */
  idleMs(): number {
    return this.#now() - this.#lastActivityMs;
  }

  /**
   * True when `waiting` charges wait in the queue and the worker has been idle for at least
   * `stuckAfterMs`. An idle worker with an empty queue is just idle.
   */
  isStuck(waiting: number, stuckAfterMs: number): boolean {
    return waiting > 0 && this.idleMs() >= stuckAfterMs;
  }
}
