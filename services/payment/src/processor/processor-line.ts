/**
 * The line in front of a processor that works on at most `capacity` charges at once: further
 * charges wait their turn (first come, first served), so beyond `capacity ÷ latency` charges per
 * second every charge gets slower — an overloaded dependency, as the `overload` scenario needs.
 * The capacity is read on every charge and release (runtime chaos); 0 means no line.
 */
export class ProcessorLine {
  readonly #capacity: () => number;
  readonly #waiting: { grant: () => void }[] = [];
  #active = 0;

  /** @param capacity charges worked on at once, read on every charge (0 = unlimited) */
  constructor(capacity: () => number) {
    this.#capacity = capacity;
  }

  /** Charges being worked on and waiting now. */
  get size(): { active: number; waiting: number } {
    return { active: this.#active, waiting: this.#waiting.length };
  }

  /**
   * Waits for a turn; resolves with the function that ends it. Rejects with the signal's reason
   * when the caller gives up while waiting (its place is freed).
   */
  enter(signal: AbortSignal | undefined): Promise<() => void> {
    signal?.throwIfAborted();
    const capacity = this.#capacity();
    if (capacity === 0 || (this.#active < capacity && this.#waiting.length === 0)) {
      this.#active += 1;
      return Promise.resolve(this.#leave());
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          this.#active += 1;
          resolve(this.#leave());
        },
      };
      const onAbort = (): void => {
        this.#waiting.splice(this.#waiting.indexOf(waiter), 1);
        reject(signal?.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(waiter);
    });
  }

  #leave(): () => void {
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.#active -= 1;
      const capacity = this.#capacity();
      while (this.#waiting.length > 0 && (capacity === 0 || this.#active < capacity))
        this.#waiting.shift()!.grant();
    };
  }
}
