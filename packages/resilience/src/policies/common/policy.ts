/** What every subscribe function returns: call `dispose()` to stop listening. */
export interface Disposable {
  dispose(): void;
}

/** What a policy hands to the function it runs. */
export interface ExecuteContext {
  /**
   * Aborts when the caller's signal aborts or a timeout policy gives up. Pass it on to I/O
   * (`fetch`, undici, ioredis commands with `signal`) so abandoned work really stops.
   */
  readonly signal: AbortSignal;
  /** 1 for the first try, 2 for the first retry, and so on. */
  readonly attempt: number;
}

/** The function a policy runs. It may return a value or a promise. */
export type ExecuteFn<T> = (context: ExecuteContext) => T | Promise<T>;

/**
 * The one contract every policy implements, and what `wrap` composes. `R` is what the policy may
 * return instead of `fn`'s result: `never` for every policy except a fallback.
 */
export interface Policy<R = never> {
  /** Name used in events, errors and metric labels. */
  readonly name: string;
  /** Runs `fn` under this policy. `signal` cancels the call (and any wait the policy does). */
  execute<T>(fn: ExecuteFn<T>, signal?: AbortSignal): Promise<T | R>;
}
