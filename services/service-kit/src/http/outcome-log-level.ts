import type { HttpProblem, ProblemLogLevel } from '@shipshape/observability/http';
import { causedByInjectedFault } from '../errors/injected-fault-error.ts';

/**
 * The level every service logs an answered problem at (`problemErrorHandler`'s `logLevel`; the
 * access line follows it):
 * - `info`: an outcome caused by fault injection — the experiment working, not an incident;
 * - `error`, with the stack: `internal_error`, the one answer for a failure nobody planned for;
 * - `warn`, with the reason but no stack: every other answer the service gives on purpose — a
 *   4xx (the client's), and a catalogued 5xx (its store or an upstream unavailable, a deadline
 *   passed), whose stack would only show the line that mapped it.
 * A 429 never reaches the error handler: the access log writes it at `info`.
 */
export function outcomeLogLevel(problem: HttpProblem, error: unknown): ProblemLogLevel {
  if (causedByInjectedFault(error)) return 'info';
  return problem.code === 'internal_error' ? 'error' : 'warn';
}
