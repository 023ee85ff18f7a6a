// Public surface of the HTTP area: problem+json errors and server-side deadlines.

// Problem details (RFC 9457)
export {
  DEFAULT_PROBLEM_TYPE_BASE,
  PROBLEM_CONTENT_TYPE,
  defaultTitle,
  sendProblem,
} from './problem-details.ts';
export type { ProblemDetails, ProblemFieldError } from './problem-details.ts';
export { HttpProblem, isHttpProblem } from './http-problem.ts';
export type { HttpProblemOptions } from './http-problem.ts';
export { STANDARD_PROBLEMS, standardProblem } from './standard-problems.ts';
export type { StandardProblemCode } from './standard-problems.ts';
export { fieldErrors, isIssuesError, validationProblem } from './validation-problem.ts';
export type { IssuesError, ValidationIssue } from './validation-problem.ts';

// Middleware and handlers
export { problemErrorHandler, toHttpProblem } from './error-handler.ts';
export type { ErrorLogger, ProblemErrorHandlerOptions, ProblemLogLevel } from './error-handler.ts';
export { notFoundHandler } from './not-found.ts';
export { methodNotAllowed } from './method-not-allowed.ts';
export { requireJsonBody } from './require-json.ts';

// Deadlines
export { REQUEST_TIMEOUT_HEADER, deadlineMiddleware, requestDeadline, requestSignal } from './deadline.ts';
export type { DeadlineOptions, RequestDeadline } from './deadline.ts';
