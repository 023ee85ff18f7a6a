import { contextFor, invoke, isInvocable, type Invocable } from '../common/invoke.ts';
import type { ExecuteContext, ExecuteFn, Policy } from '../common/policy.ts';
import { Retry } from '../retry/retry.ts';
import { Timeout } from '../timeout/timeout.ts';

/**
 * What a policy may return instead of `fn`'s result: `never`, except for a policy declaring the
 * type-only `alternative` marker (a fallback). TypeScript cannot read it off the generic
 * `execute` signature, hence the marker.
 */
type AlternativeOf<P> = P extends { readonly alternative?: infer R }
  ? 'alternative' extends keyof P
    ? Exclude<R, undefined>
    : never
  : never;

// `any` is needed to accept policies whatever their alternative result type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyPolicy = Policy<any>;

/**
 * Policies composed outer → inner: `execute(fn)` runs the first policy, which runs the second
 * around `fn`, and so on. The innermost policy calls `fn` itself.
 */
export class PolicyWrap<R = never> implements Policy<R>, Invocable<R> {
  /** The policies' names joined outer → inner with `>`. */
  readonly name: string;
  /** The composed policies, outer → inner. */
  readonly policies: readonly AnyPolicy[];
  readonly #invocable: readonly boolean[];

  constructor(policies: readonly AnyPolicy[]) {
    validate(policies);
    this.policies = policies;
    this.name = policies.map((p) => p.name).join('>');
    this.#invocable = policies.map((p) => isInvocable(p));
  }

  /** Runs `fn` through every policy, outer to inner. */
  execute<T>(fn: ExecuteFn<T>, signal?: AbortSignal): Promise<T | R> {
    return this[invoke](fn, contextFor(signal));
  }

  /** Internal entry point used by `wrap`: takes the caller's whole context. */
  [invoke]<T>(fn: ExecuteFn<T>, context: ExecuteContext): Promise<T | R> {
    return this.#call(0, fn, context) as Promise<T | R>;
  }

  /**
   * Runs policy `i` around the rest of the chain. One small closure per layer and call is the
   * price of a user function that changes per call; the innermost layer gets `fn` itself.
   */
  #call<T>(i: number, fn: ExecuteFn<T>, context: ExecuteContext): Promise<unknown> {
    const policy = this.policies[i];
    if (policy === undefined) return Promise.resolve().then(() => fn(context));
    const next: ExecuteFn<unknown> =
      i + 1 === this.policies.length ? fn : (ctx) => this.#call(i + 1, fn, ctx);
    return this.#invocable[i]
      ? (policy as unknown as Invocable<unknown>)[invoke](next, context)
      : policy.execute(next, context.signal);
  }
}

/**
 * Composes policies, outer → inner. Recommended order, and why:
 *
 * `wrap(fallback, bulkhead, totalTimeout, retry, breaker, perTryTimeout)`
 *
 * - fallback outermost: it also replaces rejections of every policy inside it;
 * - bulkhead next: a call holds one slot for all its retries, so retries cannot multiply
 *   concurrency;
 * - total timeout before retry: the deadline covers every attempt and backoff sleep;
 * - retry outside the breaker: each attempt asks the breaker, so an open breaker stops the
 *   retries at once (its BrokenCircuitError is not retried by default);
 * - per-try timeout innermost: a hung attempt counts as a breaker failure and is retried.
 *
 * Throws RangeError for mistakes that make a pipeline silently wrong: the same policy instance
 * twice (its state would count every call twice), or a per-try timeout (inside a retry) that is
 * not shorter than a total timeout (outside it), which leaves no time for a retry.
 */
export function wrap<P extends readonly AnyPolicy[]>(...policies: P): PolicyWrap<AlternativeOf<P[number]>> {
  return new PolicyWrap(policies);
}

function validate(policies: readonly AnyPolicy[]): void {
  const flat = flatten(policies);
  const seen = new Set<AnyPolicy>();
  for (const policy of flat) {
    if (seen.has(policy)) {
      throw new RangeError(`wrap: policy "${policy.name}" appears twice; use one instance per position`);
    }
    seen.add(policy);
  }
  const retryAt = flat.findIndex((p) => p instanceof Retry);
  if (retryAt < 0) return;
  const timeouts = (list: AnyPolicy[]) => list.filter((p): p is Timeout => p instanceof Timeout);
  for (const total of timeouts(flat.slice(0, retryAt))) {
    for (const perTry of timeouts(flat.slice(retryAt + 1))) {
      if (perTry.timeoutMs >= total.timeoutMs) {
        throw new RangeError(
          `wrap: per-try timeout "${perTry.name}" (${perTry.timeoutMs} ms) must be shorter than total timeout "${total.name}" (${total.timeoutMs} ms)`,
        );
      }
    }
  }
}

function flatten(policies: readonly AnyPolicy[]): AnyPolicy[] {
  return policies.flatMap((p) => (p instanceof PolicyWrap ? flatten(p.policies) : [p]));
}
