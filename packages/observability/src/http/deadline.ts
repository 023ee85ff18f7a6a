import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { DEFAULT_PROBLEM_TYPE_BASE, sendProblem } from './problem-details.ts';
import { standardProblem } from './standard-problems.ts';
import { validationProblem } from './validation-problem.ts';

/** The header carrying a request's remaining deadline, in milliseconds (the contract's). */
export const REQUEST_TIMEOUT_HEADER = 'x-request-timeout-ms';

/** A request's deadline, as the middleware exposes it. */
export interface RequestDeadline {
  /**
   * Aborts when the deadline passes (reason: a `TimeoutError` DOMException) or the client
   * disconnects before the response finished (reason: an `AbortError` DOMException). Pass it
   * to every awaited operation (fetch, Redis commands, the resilience policies).
   */
  signal: AbortSignal;
  /** Epoch milliseconds when the deadline passes; `Infinity` when the request has none. */
  expiresAt: number;
  /** Milliseconds left (never negative; `Infinity` when none), for `x-request-timeout-ms` downstream. */
  remainingMs(): number;
}

/** Options of {@link deadlineMiddleware}. */
export interface DeadlineOptions {
  /**
   * Deadline of requests without the header, in milliseconds.
   * @default none: such a request has no deadline (unless `maxTimeoutMs` is set)
   */
  defaultTimeoutMs?: number;
  /**
   * Upper bound of any deadline, in milliseconds: a client cannot ask for more, and requests
   * without the header get this one when `defaultTimeoutMs` is not set.
   * @default none
   */
  maxTimeoutMs?: number;
  /**
   * Floor of an asked deadline, in milliseconds: a smaller positive value is raised to it. A
   * deadline of 1–2 ms can do nothing but expire; raised, the request is answered normally when
   * it is quick, and an upstream's last retry near the end of its budget is still served.
   * @default 1 (no floor)
   */
  minTimeoutMs?: number;
  /**
   * Base of the problem `type` URIs.
   * @default 'https://shipshape.dev/problems/'
   */
  typeBase?: string;
  /** Clock in epoch milliseconds, for tests. @default Date.now */
  now?: () => number;
}

const deadlines = new WeakMap<Request, RequestDeadline>();

/** Longest delay `setTimeout` honours; a longer one fires at once, so it means "no timer". */
const MAX_TIMER_MS = 2 ** 31 - 1;

const defaults = { typeBase: DEFAULT_PROBLEM_TYPE_BASE, now: Date.now, minTimeoutMs: 1 } as const;

/**
 * Server-side deadlines. Reads `x-request-timeout-ms`, which must be a positive integer number
 * of milliseconds: anything else (malformed, zero, negative) is the caller's error, answered 400
 * `validation_failed` WITHOUT running the handler. The value is raised to `minTimeoutMs` and
 * bounded by `maxTimeoutMs`; then the request gets an AbortSignal (`requestSignal(req)` or
 * `res.locals.deadline.signal`) and, if the deadline passes before the response started, 504
 * `deadline_exceeded`; the handler should stop work when the signal aborts.
 * The signal also aborts when the client disconnects. Timers are cleared when the response
 * finishes or the connection closes.
 */
export function deadlineMiddleware(options: DeadlineOptions = {}): RequestHandler {
  const merged = { ...defaults, ...options };
  for (const key of ['defaultTimeoutMs', 'maxTimeoutMs', 'minTimeoutMs'] as const) {
    const value = merged[key];
    if (value !== undefined && (!Number.isFinite(value) || value <= 0)) {
      throw new RangeError(`${key} must be a positive number of milliseconds, got ${value}`);
    }
  }
  const { typeBase, now, defaultTimeoutMs, maxTimeoutMs, minTimeoutMs } = merged;
  if (maxTimeoutMs !== undefined && minTimeoutMs > maxTimeoutMs) {
    throw new RangeError(`minTimeoutMs must not exceed maxTimeoutMs (${maxTimeoutMs}), got ${minTimeoutMs}`);
  }

  return (req: Request, res: Response, next: NextFunction) => {
    const asked = parseTimeout(req.headers[REQUEST_TIMEOUT_HEADER]);
    if (asked === 'invalid') {
      const problem = validationProblem([
        {
          path: ['headers', REQUEST_TIMEOUT_HEADER],
          message: 'must be a positive integer number of milliseconds',
        },
      ]);
      sendProblem(res, problem.toProblem(typeBase));
      return;
    }
    const bounded = asked === undefined ? undefined : Math.max(asked, minTimeoutMs);
    const timeoutMs = Math.min(bounded ?? defaultTimeoutMs ?? Infinity, maxTimeoutMs ?? Infinity);
    const controller = new AbortController();
    const expiresAt = now() + timeoutMs;
    const deadline: RequestDeadline = {
      signal: controller.signal,
      expiresAt,
      remainingMs: () => Math.max(0, expiresAt - now()),
    };
    deadlines.set(req, deadline);
    res.locals.deadline = deadline;

    const expire = () => {
      controller.abort(new DOMException('request deadline exceeded', 'TimeoutError'));
      if (res.headersSent) return;
      const problem = standardProblem(
        'deadline_exceeded',
        `The request deadline of ${timeoutMs} ms passed before the response was ready.`,
      );
      sendProblem(res, problem.toProblem(typeBase));
    };
    const timer = timeoutMs <= MAX_TIMER_MS ? setTimeout(expire, timeoutMs) : undefined;
    res.once('finish', () => clearTimeout(timer));
    res.once('close', () => {
      clearTimeout(timer);
      if (!res.writableFinished) controller.abort(new DOMException('client disconnected', 'AbortError'));
    });
    next();
  };
}

/**
 * The AbortSignal of a request handled by {@link deadlineMiddleware}; a signal that never
 * aborts when the middleware did not run (so handlers can always pass it on).
 */
export function requestSignal(req: Request): AbortSignal {
  return deadlines.get(req)?.signal ?? new AbortController().signal;
}

/** The deadline of a request handled by {@link deadlineMiddleware}, if any. */
export function requestDeadline(req: Request): RequestDeadline | undefined {
  return deadlines.get(req);
}

/** The asked deadline: undefined without the header, `'invalid'` unless a positive integer. */
function parseTimeout(value: string | string[] | undefined): number | 'invalid' | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return undefined;
  if (!/^\s*\d+\s*$/.test(text)) return 'invalid';
  const ms = Number(text);
  return ms > 0 ? ms : 'invalid';
}
