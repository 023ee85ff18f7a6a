/** A bounded list of lines: once full, each new line drops the oldest. */
export class LogRing {
  readonly #capacity: number;
  readonly #lines: string[] = [];
  #start = 0;

  /** @param capacity lines kept; at least 1 */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`logLines must be an integer >= 1, got ${capacity}`);
    this.#capacity = capacity;
  }

  /** Appends one line. */
  push(line: string): void {
    if (this.#lines.length < this.#capacity) {
      this.#lines.push(line);
      return;
    }
    this.#lines[this.#start] = line;
    this.#start = (this.#start + 1) % this.#capacity;
  }

  /** The kept lines, oldest first. */
  lines(): string[] {
    return [...this.#lines.slice(this.#start), ...this.#lines.slice(0, this.#start)];
  }
}
