import { HttpProblem } from './http-problem.ts';
import type { ProblemFieldError } from './problem-details.ts';

/** A validation issue as zod (and most schema libraries) report it. */
export interface ValidationIssue {
  path: readonly PropertyKey[] | string;
  message: string;
}

/** An error carrying validation issues (zod's `ZodError` has this shape). */
export interface IssuesError {
  issues: readonly ValidationIssue[];
}

/** True when `value` has an `issues` array of `{ path, message }`. */
export function isIssuesError(value: unknown): value is IssuesError {
  if (typeof value !== 'object' || value === null) return false;
  const issues = (value as { issues?: unknown }).issues;
  return (
    Array.isArray(issues) &&
    issues.length > 0 &&
    issues.every(
      (issue: unknown) =>
        typeof issue === 'object' &&
        issue !== null &&
        typeof (issue as { message?: unknown }).message === 'string' &&
        (typeof (issue as { path?: unknown }).path === 'string' ||
          Array.isArray((issue as { path?: unknown }).path)),
    )
  );
}

/** Field errors of `issues`, paths dotted (`items.0.quantity`). */
export function fieldErrors(issues: readonly ValidationIssue[]): ProblemFieldError[] {
  return issues.map((issue) => ({
    path: typeof issue.path === 'string' ? issue.path : issue.path.map((p) => String(p)).join('.'),
    message: issue.message,
  }));
}

/** A 400 `validation_failed` problem listing every issue. */
export function validationProblem(issues: readonly ValidationIssue[], cause?: unknown): HttpProblem {
  const errors = fieldErrors(issues);
  return new HttpProblem({
    status: 400,
    code: 'validation_failed',
    title: 'Request validation failed',
    detail: `The request has ${errors.length} invalid field${errors.length === 1 ? '' : 's'}.`,
    errors,
    cause,
  });
}
