// Worker settings of the payment pipeline tests, shared with the child-process fixture (which
// must not import vitest).

/** Test defaults: short backoffs and locks, fast relay polling. */
export const fastWorker = {
  attempts: 3,
  backoffMs: 20,
  backoffMaxMs: 200,
  jitter: 0,
  lockDurationMs: 2_000,
  stalledIntervalMs: 1_000,
  relayPollIntervalMs: 20,
  shutdownTimeoutMs: 5_000,
};
