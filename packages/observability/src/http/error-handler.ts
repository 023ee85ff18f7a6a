import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import { findRequestRecord } from '../route/request-record.ts';
import { HttpProblem, isHttpProblem } from './http-problem.ts';
import { DEFAULT_PROBLEM_TYPE_BASE, defaultTitle, sendProblem } from './problem-details.ts';
import { standardProblem } from './standard-problems.ts';
import { isIssuesError, validationProblem } from './validation-problem.ts';

/** What the error middleware needs of a logger (pino fits). */
export interface ErrorLogger {
  error(context: object, message: string): void;
  warn(context: object, message: string): void;
  /** For outcomes {@link ProblemErrorHandlerOptions.logLevel} calls expected; `warn` without it. */
  info?(context: object, message: string): void;
}

/** The level a problem is logged at. */
export type ProblemLogLevel = 'error' | 'warn' | 'info';

/** Options of {@link problemErrorHandler}. */
export interface ProblemErrorHandlerOptions {
  /**
   * Where errors are logged: 5xx at `error` with the stack (under `err`), 4xx at `warn` with
   * the reason but no stack (see `logLevel`).
   * @default a logger writing to `console.error` / `console.warn`
   */
  logger?: ErrorLogger;
  /**
   * Base of the problem `type` URIs.
   * @default 'https://shipshape.dev/problems/'
   */
  typeBase?: string;
  /**
   * Maps a service's own errors to problems (e.g. its `EmailTakenError` to 409 `email_taken`);
   * consulted first. Return undefined to fall through to the built-in mapping.
   * @default none
   */
  mapError?: (error: unknown) => HttpProblem | undefined;
  /**
   * The level each answered problem is logged at. `error` logs the error with its stack (under
   * `err`): a failure to look into. `warn` and `info` are for outcomes the service gives on
   * purpose (a rejected request, an unavailable dependency, an injected fault): code, status,
   * detail and `reason` (the messages of the error and its causes), no stack.
   * @default 5xx `error`, 4xx `warn`
   */
  logLevel?: (problem: HttpProblem, error: unknown) => ProblemLogLevel;
}

const defaultLogLevel = (problem: HttpProblem): ProblemLogLevel => (problem.status >= 500 ? 'error' : 'warn');

const consoleLogger: ErrorLogger = {
  error: (context, message) => console.error(message, context),
  warn: (context, message) => console.warn(message, context),
};

const defaults = {
  logger: consoleLogger,
  typeBase: DEFAULT_PROBLEM_TYPE_BASE,
  logLevel: defaultLogLevel,
} as const;

/**
 * Express error middleware turning every error into RFC 9457 `application/problem+json`.
 * Mount it last. Mapping:
 * - {@link HttpProblem}: as thrown (status, code, detail, errors, headers);
 * - an error with `issues: [{ path, message }]` (zod): 400 `validation_failed`, every issue listed;
 * - body-parser errors: malformed body 400 `malformed_json`, too large / too many parameters
 *   413 `payload_too_large`, unsupported charset or content encoding 415 `unsupported_media_type`;
 * - other errors with a 4xx `status` (http-errors): that status, the message as detail;
 * - anything else: 500 `internal_error` with a generic detail — never the message, a stack
 *   trace or a hostname, which stay in the log.
 */
export function problemErrorHandler(options: ProblemErrorHandlerOptions = {}): ErrorRequestHandler {
  const { logger, typeBase, mapError, logLevel } = { ...defaults, ...options };
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const problem = mapError?.(error) ?? toHttpProblem(error);
    const context = {
      err: error,
      code: problem.code,
      status: problem.status,
      method: req.method,
      url: req.originalUrl,
    };
    if (res.headersSent) {
      // Too late for a problem document (typically a handler that kept working after its
      // deadline answered 504). A complete response stays; a partial one is cut off so that
      // the client sees a truncated body rather than a silently short one.
      logger.warn(context, 'error after the response was sent');
      if (!res.writableEnded) res.destroy();
      return;
    }
    let level = logLevel(problem, error);
    if (level === 'error') {
      logger.error(context, `request failed: ${problem.code}`);
    } else {
      // An outcome the service gives on purpose: what happened, not where in the code.
      const { err: _err, ...summary } = context;
      const reason = causeChain(error === problem ? problem.cause : error);
      const line = { ...summary, detail: problem.message, ...(reason === undefined ? {} : { reason }) };
      const message = `request ${problem.status >= 500 ? 'answered' : 'rejected'}: ${problem.code}`;
      if (level === 'info' && logger.info) logger.info(line, message);
      else logger.warn(line, message);
      if (!logger.info) level = 'warn';
    }
    const record = findRequestRecord(res);
    if (record !== undefined) record.outcomeLevel = level;
    sendProblem(res, problem.toProblem(typeBase), problem.headers);
  };
}

/** `Name: message` of an error and of each of its causes (five at most), or undefined. */
function causeChain(error: unknown): string | undefined {
  const parts: string[] = [];
  for (let current = error; current instanceof Error && parts.length < 5; current = current.cause) {
    parts.push(`${current.name}: ${current.message}`);
  }
  return parts.length === 0 ? undefined : parts.join('; caused by ');
}

/** The problem a thrown value maps to (without a service-specific `mapError`). */
export function toHttpProblem(error: unknown): HttpProblem {
  if (isHttpProblem(error)) return error;
  if (isIssuesError(error)) return validationProblem(error.issues, error);
  const { type, status, expose, message } = (error ?? {}) as {
    type?: unknown;
    status?: unknown;
    statusCode?: unknown;
    expose?: unknown;
    message?: unknown;
  };
  switch (type) {
    case 'entity.parse.failed':
      return standardProblem('malformed_json', 'The request body is not valid JSON.', { cause: error });
    case 'entity.too.large':
      return standardProblem('payload_too_large', 'The request body is larger than the limit.', {
        cause: error,
      });
    case 'parameters.too.many':
      return standardProblem('payload_too_large', 'The request body has too many parameters.', {
        cause: error,
      });
    case 'charset.unsupported':
      return standardProblem('unsupported_media_type', 'The request body charset is not supported.', {
        cause: error,
      });
    case 'encoding.unsupported':
      return standardProblem(
        'unsupported_media_type',
        'The request body content encoding is not supported.',
        {
          cause: error,
        },
      );
    case 'request.aborted':
    case 'request.size.invalid':
      return standardProblem('malformed_request', 'The request body was incomplete.', { cause: error });
  }
  const code = Number(status ?? (error as { statusCode?: unknown } | null)?.statusCode);
  if (Number.isInteger(code) && code >= 400 && code < 500) {
    const detail = expose !== false && typeof message === 'string' && message ? message : defaultTitle(code);
    return new HttpProblem({ status: code, code: codeOfStatus(code), detail, cause: error });
  }
  return standardProblem('internal_error', 'An unexpected error occurred.', { cause: error });
}

function codeOfStatus(status: number): string {
  const phrase = defaultTitle(status);
  return phrase === 'Error' ? `http_${status}` : phrase.toLowerCase().replace(/[^a-z0-9]+/g, '_');
}
