/** One waiting call. A doubly linked node, so abort and timeout remove it in O(1). */
interface Waiter {
  prev: Waiter | undefined;
  next: Waiter | undefined;
  resolve: () => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * FIFO of calls waiting for a bulkhead slot. Each waiter leaves exactly once — granted, aborted
 * or timed out — and takes its abort listener and timer with it. Internal.
 */
export class WaitQueue {
  #head: Waiter | undefined;
  #tail: Waiter | undefined;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Waits until {@link grantNext} picks this call; rejects on abort or after `timeoutMs`. */
  enqueue(signal: AbortSignal | undefined, timeoutMs: number, timeoutError: () => Error): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        prev: this.#tail,
        next: undefined,
        resolve,
        reject,
        signal,
        onAbort: undefined,
        timer: undefined,
      };
      if (this.#tail === undefined) this.#head = waiter;
      else this.#tail.next = waiter;
      this.#tail = waiter;
      this.#size++;
      if (signal !== undefined) {
        waiter.onAbort = () => this.#leave(waiter, signal.reason);
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      if (timeoutMs !== Infinity)
        waiter.timer = setTimeout(() => this.#leave(waiter, timeoutError()), timeoutMs);
    });
  }

  /** Wakes the oldest waiter; false when nobody waits. */
  grantNext(): boolean {
    const waiter = this.#head;
    if (waiter === undefined) return false;
    this.#remove(waiter);
    waiter.resolve();
    return true;
  }

  #leave(waiter: Waiter, error: unknown): void {
    this.#remove(waiter);
    waiter.reject(error);
  }

  #remove(waiter: Waiter): void {
    if (waiter.prev === undefined) this.#head = waiter.next;
    else waiter.prev.next = waiter.next;
    if (waiter.next === undefined) this.#tail = waiter.prev;
    else waiter.next.prev = waiter.prev;
    waiter.prev = waiter.next = undefined;
    this.#size--;
    if (waiter.timer !== undefined) clearTimeout(waiter.timer);
    if (waiter.onAbort !== undefined) waiter.signal?.removeEventListener('abort', waiter.onAbort);
  }
}
