import { AimdLimit, type AimdLimitOptions } from './aimd-limit.ts';
import { Gradient2Limit, type Gradient2LimitOptions } from './gradient2-limit.ts';
import type { LimitAlgorithm } from './limit-algorithm.ts';

/** Names of the built-in limit algorithms. */
export type LimitAlgorithmName = 'gradient2' | 'aimd';

/** Options of any built-in algorithm: each one reads its own and ignores the others. */
export type LimitAlgorithmOptions = Gradient2LimitOptions & AimdLimitOptions;

/**
 * Builds a built-in algorithm from its name (configuration files name it), or returns a given
 * one unchanged.
 * @throws RangeError for an unknown name or an invalid option
 */
export function createLimitAlgorithm(
  algorithm: LimitAlgorithmName | LimitAlgorithm,
  options: LimitAlgorithmOptions = {},
): LimitAlgorithm {
  if (typeof algorithm !== 'string') return algorithm;
  if (algorithm === 'gradient2') return new Gradient2Limit(options);
  if (algorithm === 'aimd') return new AimdLimit(options);
  throw new RangeError(`algorithm must be one of gradient2, aimd, got ${String(algorithm)}`);
}
