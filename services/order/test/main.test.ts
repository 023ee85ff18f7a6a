import { describeMainCases } from '@shipshape/service-kit/testing';
import { useRedisServer } from '@shipshape/test-harness/vitest';

const redis = useRedisServer();

// Start, readiness, SIGTERM exit 0 and fail-fast exit 1 without Redis (2 tests, from the kit).
// No user service runs for these: readiness does not depend on it (see "Readiness" in the README),
// and the payment pipeline starts against the same Redis.
describeMainCases({
  service: 'order',
  mainUrl: new URL('../src/main.ts', import.meta.url),
  redisUrl: () => redis.url,
});
