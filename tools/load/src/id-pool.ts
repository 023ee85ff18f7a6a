/**
 * The ids created during a run (users, orders), kept so later requests can refer to them.
 * Bounded: past `capacity` the oldest id is overwritten, so a long soak holds constant memory.
 */
export class IdPool {
  readonly #ids: string[] = [];
  readonly #capacity: number;
  #next = 0;

  /** @param capacity most ids kept; must be >= 1 */
  constructor(capacity = 10_000) {
    if (!(Number.isInteger(capacity) && capacity >= 1)) {
      throw new RangeError(`capacity must be an integer >= 1, got ${capacity}`);
    }
    this.#capacity = capacity;
  }

  /** Remembers an id. */
  add(id: string): void {
    if (this.#ids.length < this.#capacity) {
      this.#ids.push(id);
    } else {
      this.#ids[this.#next] = id;
      this.#next = (this.#next + 1) % this.#capacity;
    }
  }

  /** The id at `floor(pick × size)`, or undefined while the pool is empty. */
  pick(pick: number): string | undefined {
    return this.#ids[Math.floor(pick * this.#ids.length)];
  }

  /** How many ids are held. */
  get size(): number {
    return this.#ids.length;
  }
}
