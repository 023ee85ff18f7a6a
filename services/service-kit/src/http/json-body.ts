import { isUtf8 } from 'node:buffer';
import { standardProblem, validationProblem, type ValidationIssue } from '@shipshape/observability/http';
import express, {
  type ErrorRequestHandler,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';

/** Options of {@link jsonBody}. */
export interface JsonBodyOptions {
  /** Largest accepted body, in bytes (larger → 413 `payload_too_large`). */
  limitBytes: number;
}

/** The `type` of the error `verify` throws for a body that is not UTF-8 text (body-parser keeps it). */
const notUtf8 = 'shipshape.body.not_utf8';
/** The same, for a body that starts with a byte order mark. */
const byteOrderMark = 'shipshape.body.bom';

/** A charset parameter of a Content-Type header, lower-cased; undefined when there is none. */
function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType ?? '');
  return match?.[1]?.toLowerCase();
}

/**
 * 415 to a body declared in any charset but UTF-8. JSON between systems is UTF-8 (RFC 8259
 * §8.1); body-parser would decode `utf-16` or `utf-32` bodies, so text another client sends as
 * UTF-8 could then differ in bytes and hashes (Idempotency-Key checks) from the same request.
 */
function requireUtf8Charset(req: Request, _res: Response, next: NextFunction): void {
  const hasBody =
    req.headers['transfer-encoding'] !== undefined ||
    (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
  const charset = hasBody ? charsetOf(req.headers['content-type']) : undefined;
  if (charset === undefined || charset === 'utf-8') return next();
  next(
    standardProblem(
      'unsupported_media_type',
      `The request body must be UTF-8 JSON; charset=${charset.slice(0, 40)} is not accepted.`,
    ),
  );
}

/**
 * Checks the raw bytes before they are decoded: body-parser (iconv) would silently replace
 * invalid UTF-8 with U+FFFD and drop a byte order mark, so the stored text would not be what
 * the client sent.
 */
function verifyUtf8(_req: unknown, _res: unknown, body: Buffer): void {
  if (body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) {
    throw Object.assign(new Error('body starts with a byte order mark'), {
      status: 400,
      type: byteOrderMark,
    });
  }
  if (!isUtf8(body)) {
    throw Object.assign(new Error('body is not valid UTF-8'), { status: 400, type: notUtf8 });
  }
}

/** Turns the errors of {@link verifyUtf8} into their problems; passes every other error on. */
const utf8Problems: ErrorRequestHandler = (error: unknown, _req, _res, next) => {
  const type = (error as { type?: unknown } | null)?.type;
  if (type === notUtf8) {
    return next(standardProblem('malformed_json', 'The request body is not valid UTF-8.', { cause: error }));
  }
  if (type === byteOrderMark) {
    return next(
      standardProblem('malformed_json', 'The request body must not start with a byte order mark.', {
        cause: error,
      }),
    );
  }
  next(error);
};

/** Every string (keys too) of a parsed JSON value that is not well-formed UTF-16, as issues. */
function illFormedStrings(value: unknown, path: PropertyKey[] = [], issues: ValidationIssue[] = []) {
  if (typeof value === 'string') {
    if (!value.isWellFormed()) issues.push({ path, message: 'must not contain a lone surrogate' });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => illFormedStrings(item, [...path, index], issues));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (!key.isWellFormed()) issues.push({ path, message: 'must not have a key with a lone surrogate' });
      illFormedStrings(item, [...path, key], issues);
    }
  }
  return issues;
}

/**
 * 400 `validation_failed` for any string with a lone surrogate (`"\ud800"` is valid JSON but
 * not Unicode text: it cannot be stored as UTF-8 or shown, and would reach Redis and logs as
 * `\ud800` escapes), listing each one.
 */
function requireWellFormedStrings(req: Request, _res: Response, next: NextFunction): void {
  const issues = req.body === undefined ? [] : illFormedStrings(req.body);
  next(issues.length === 0 ? undefined : validationProblem(issues));
}

/**
 * The JSON body parser of every service: text is text. On top of `express.json({ limit })`:
 * a charset other than UTF-8 → 415 `unsupported_media_type`; bytes that are not UTF-8, or a
 * leading byte order mark → 400 `malformed_json` (checked before decoding, so nothing is
 * replaced by U+FFFD); a lone surrogate in any string or key → 400 `validation_failed`. What
 * else a free-text field may hold (control or bidi characters) is the field schema's decision.
 */
export function jsonBody(options: JsonBodyOptions): (RequestHandler | ErrorRequestHandler)[] {
  return [
    requireUtf8Charset,
    express.json({ limit: options.limitBytes, verify: verifyUtf8 }),
    utf8Problems,
    requireWellFormedStrings,
  ];
}
