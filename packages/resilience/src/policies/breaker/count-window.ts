import type { SlidingWindow } from './sliding-window.ts';

const failedBit = 1;
const slowBit = 2;

/** The last `size` calls, one byte each in a ring buffer. Internal. */
export class CountWindow implements SlidingWindow {
  calls = 0;
  failures = 0;
  slowCalls = 0;
  readonly #ring: Uint8Array;
  #next = 0;

  constructor(size: number) {
    this.#ring = new Uint8Array(size);
  }

  advance(): void {}

  record(_now: number, failed: boolean, slow: boolean): void {
    const ring = this.#ring;
    if (this.calls === ring.length) {
      const old = ring[this.#next]!;
      if (old & failedBit) this.failures--;
      if (old & slowBit) this.slowCalls--;
    } else {
      this.calls++;
    }
    ring[this.#next] = (failed ? failedBit : 0) | (slow ? slowBit : 0);
    if (failed) this.failures++;
    if (slow) this.slowCalls++;
    this.#next = this.#next + 1 === ring.length ? 0 : this.#next + 1;
  }

  clear(): void {
    this.#ring.fill(0);
    this.calls = this.failures = this.slowCalls = this.#next = 0;
  }
}
