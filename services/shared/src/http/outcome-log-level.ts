import type { HttpProblem, ProblemLogLevel } from '@shipshape/observability';
import { causedByInjectedFault } from '../errors/injected-fault-error.ts';

/**
 * The level every service logs an answered problem at (`problemErrorHandler`'s `logLevel`): an
 * outcome caused by fault injection is expected — `info`, no stack, in the problem's line and
 * in the access line; a 504 `deadline_exceeded` ran out of the caller's own deadline, so it is
 * the client's like a 4xx — `warn`; any other 5xx is a failure — `error` with its stack; a 4xx
 * is the client's — `warn`. (A 429 never reaches the error handler: the access log writes it at
 * `info`.)
 */
export function outcomeLogLevel(problem: HttpProblem, error: unknown): ProblemLogLevel {
  if (causedByInjectedFault(error)) return 'info';
  if (problem.code === 'deadline_exceeded') return 'warn';
  return problem.status >= 500 ? 'error' : 'warn';
}
