import { describeMainCases } from '@shipshape/service-kit/testing';
import { useRedisServer } from '@shipshape/test-harness/vitest';

const redis = useRedisServer();

// Start, readiness, SIGTERM exit 0 and fail-fast exit 1 without Redis (2 tests, from the kit).
describeMainCases({
  service: 'user',
  mainUrl: new URL('../src/main.ts', import.meta.url),
  redisUrl: () => redis.url,
});
