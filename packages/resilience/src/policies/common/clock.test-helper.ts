/** A hand-driven clock for policies that take `now`. Test-only. */
export class FakeClock {
  time: number;

  constructor(start = 1_000) {
    this.time = start;
  }

  readonly now = (): number => this.time;

  advance(ms: number): void {
    this.time += ms;
  }
}

/** Returns a function that rejects with `error`, for failing calls. */
export const fail =
  (error: unknown = new Error('boom')) =>
  (): Promise<never> =>
    Promise.reject(error instanceof Error ? error : new Error(String(error)));

/** A promise with its resolve/reject exposed, for calls that finish when the test says so. */
export function deferred<T = void>(): {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
} {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
