// Internal: the algorithm table both limiters share. Not exported from the package.
import type { RateLimitAlgorithm } from '../rate-limiter.ts';
import type { Algorithm } from './algorithm.ts';
import { fixedWindow } from './fixed-window.ts';
import { gcra } from './gcra.ts';
import { leakyBucket } from './leaky-bucket.ts';
import { slidingWindowCounter } from './sliding-window-counter.ts';
import { slidingWindowLog } from './sliding-window-log.ts';
import { tokenBucket } from './token-bucket.ts';

export type { Algorithm } from './algorithm.ts';
export { luaScript } from './algorithm.ts';

/** Every algorithm by name. `unknown` state: each limiter stores states opaquely per key. */
export const algorithms: Readonly<Record<RateLimitAlgorithm, Algorithm<unknown>>> = {
  'token-bucket': tokenBucket,
  gcra: gcra,
  'leaky-bucket': leakyBucket,
  'fixed-window': fixedWindow,
  'sliding-window-log': slidingWindowLog,
  'sliding-window-counter': slidingWindowCounter,
};
