/** What probing a rate-limited service found. */
export interface RateLimitProbe {
  /** Probe requests sent. */
  readonly sent: number;
  /** Answered 429. */
  readonly rejected: number;
  /** 429s that carried `Retry-After`, `RateLimit` and `RateLimit-Policy`. */
  readonly withHeaders: number;
  /** Distinct `Retry-After` values seen, in seconds. */
  readonly retryAfter: readonly string[];
  /** When admitted (non-429) probes were sent, ms after the load started (they used the limit too). */
  readonly admittedAtMs: readonly number[];
}

/**
 * Sends `perReplica` `GET /orders/<probe id>` to every replica at once and checks every 429's
 * headers: the load generator counts statuses but does not keep headers.
 */
export async function probeRateLimit(
  urls: readonly string[],
  perReplica: number,
  elapsedMs: () => number,
): Promise<RateLimitProbe> {
  let rejected = 0;
  let withHeaders = 0;
  const retryAfter = new Set<string>();
  const admittedAtMs: number[] = [];
  await Promise.all(
    urls.flatMap((url) =>
      Array.from({ length: perReplica }, async (_, i) => {
        const sentMs = elapsedMs();
        let response: Response;
        try {
          response = await fetch(`${url}/orders/rate-limit-probe-${i}`, {
            signal: AbortSignal.timeout(5_000),
          });
        } catch {
          return;
        }
        await response.body?.cancel();
        if (response.status !== 429) {
          admittedAtMs.push(sentMs);
          return;
        }
        rejected++;
        const after = response.headers.get('retry-after');
        if (after !== null) retryAfter.add(after);
        const validAfter = after !== null && /^\d+$/.test(after);
        if (validAfter && response.headers.has('ratelimit') && response.headers.has('ratelimit-policy'))
          withHeaders++;
      }),
    ),
  );
  return {
    sent: urls.length * perReplica,
    rejected,
    withHeaders,
    retryAfter: [...retryAfter].sort(),
    admittedAtMs,
  };
}
