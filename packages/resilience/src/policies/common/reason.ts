import type { Outcome } from './executor.ts';

/**
 * The bounded metric-label token for a failed outcome: the error's string `code` (the error
 * classes that set one keep it to a fixed set), `'error'` without one, `'result'` for a return
 * value judged a failure. Internal.
 */
export function reasonOf(outcome: Outcome): string {
  if (!outcome.threw) return 'result';
  const code = (outcome.result as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && code.length > 0 && code.length <= 64 ? code : 'error';
}
