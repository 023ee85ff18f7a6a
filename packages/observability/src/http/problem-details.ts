import type { Response } from 'express';

// Not `import { STATUS_CODES } from 'node:http'`: an ES import of node:http reads every export,
// and Node's lazy `http.WebSocket` getters then load undici, tls, http2 and more (≈60 ms).
const { STATUS_CODES } = process.getBuiltinModule('node:http');

/** The media type of every error response (RFC 9457). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The default base of problem `type` URIs; the code is appended (`…/problems/not_found`). */
export const DEFAULT_PROBLEM_TYPE_BASE = 'https://shipshape.dev/problems/';

/** One field-level problem of a validation error. */
export interface ProblemFieldError {
  /** Dotted path of the offending field (`items.0.quantity`); empty for the whole body. */
  path: string;
  /** What is wrong with it, for humans. */
  message: string;
}

/** An RFC 9457 problem document as every Shipshape service answers it. */
export interface ProblemDetails {
  /** URI identifying the problem type: the type base followed by the code. */
  type: string;
  /** Short summary of the problem type; the same for every occurrence of a code. */
  title: string;
  /** The HTTP status, repeated in the body. */
  status: number;
  /** This occurrence, for humans; never a stack trace or an internal hostname. */
  detail: string;
  /** Stable machine-readable code (`not_found`, `validation_failed`, …). */
  code: string;
  /** Every field-level problem, for validation errors. */
  errors?: ProblemFieldError[];
}

/** The title of a status when the caller gives none: its HTTP reason phrase. */
export function defaultTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/**
 * Writes `problem` as `application/problem+json` with its status and any extra `headers`
 * (`Allow`, `Retry-After`, …).
 */
export function sendProblem(
  res: Response,
  problem: ProblemDetails,
  headers: Readonly<Record<string, string>> = {},
): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.status(problem.status);
  // Set before res.json(), which only sets application/json when no type is set yet.
  res.setHeader('Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
  res.json(problem);
}
