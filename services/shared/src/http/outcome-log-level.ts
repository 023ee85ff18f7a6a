import type { HttpProblem, ProblemLogLevel } from '@shipshape/observability';
import { causedByInjectedFault } from '../errors/injected-fault-error.ts';

/**
 * The level every service logs an answered problem at (`problemErrorHandler`'s `logLevel`): an
 * outcome caused by fault injection is expected — `info`, no stack, in the problem's line and
 * in the access line; any other 5xx is a failure — `error` with its stack; a 4xx is the
 * client's — `warn`. (A 429 never reaches the error handler: the access log writes it at `info`.)
 */
export function outcomeLogLevel(problem: HttpProblem, error: unknown): ProblemLogLevel {
  if (causedByInjectedFault(error)) return 'info';
  return problem.status >= 500 ? 'error' : 'warn';
}
