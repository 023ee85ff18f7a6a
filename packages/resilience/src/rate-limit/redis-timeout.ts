/**
 * The error a Redis limiter reports in its `onDegraded` event when Redis did not answer a
 * decision within `timeoutMs`. Not thrown to callers: the fail mode answers instead.
 */
export class RedisTimeoutError extends Error {
  /** Stable machine-readable code. */
  readonly code = 'redis_timeout' as const;
  /** The bound that was exceeded, in ms. */
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`Redis did not answer the rate-limit decision within ${timeoutMs} ms`);
    this.name = 'RedisTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

interface Pending {
  deadline: number;
  settled: boolean;
  reject: (error: Error) => void;
  next: Pending | undefined;
}

/**
 * Bounds calls by one fixed timeout with a single timer instead of one per call (a timer per
 * decision is a measurable share of a sub-millisecond decision). Every call gets the same
 * timeout, so deadlines arrive in call order and a FIFO list suffices: the timer wakes at the
 * oldest deadline, rejects what has expired and re-arms for the next. The late reply of a
 * rejected call is ignored (its effect on Redis, if any, stands: see the README).
 */
export class DeadlineQueue {
  readonly #timeoutMs: number;
  #head: Pending | undefined;
  #tail: Pending | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** Settles with `promise`, or rejects with RedisTimeoutError after `timeoutMs`. */
  bound<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const pending: Pending = {
        deadline: performance.now() + this.#timeoutMs,
        settled: false,
        reject,
        next: undefined,
      };
      if (this.#tail === undefined) this.#head = pending;
      else this.#tail.next = pending;
      this.#tail = pending;
      if (this.#timer === undefined) this.#timer = this.#arm(this.#timeoutMs);
      promise.then(
        (value) => {
          if (pending.settled) return;
          pending.settled = true;
          resolve(value);
        },
        (error: unknown) => {
          if (pending.settled) return;
          pending.settled = true;
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  #arm(delayMs: number): NodeJS.Timeout {
    const timer = setTimeout(() => this.#expire(), Math.max(1, delayMs));
    timer.unref();
    return timer;
  }

  #expire(): void {
    const now = performance.now();
    let head = this.#head;
    while (head !== undefined && (head.settled || head.deadline <= now)) {
      if (!head.settled) {
        head.settled = true;
        head.reject(new RedisTimeoutError(this.#timeoutMs));
      }
      head = head.next;
    }
    this.#head = head;
    if (head === undefined) {
      this.#tail = undefined;
      this.#timer = undefined;
    } else {
      this.#timer = this.#arm(head.deadline - now);
    }
  }
}
