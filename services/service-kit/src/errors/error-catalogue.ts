/**
 * The error-catalogue builder every service uses. A service lists its stable codes, each with an
 * HTTP status and a title, in one table; the HTTP layer turns an error into RFC 9457
 * problem+json only through that table, and a test checks that the service README documents
 * every entry (the fastify habit).
 */

/** Base of every problem `type` URI; the code is appended. */
export const problemTypeBase = 'https://shipshape.dev/problems/';

/** One catalogue entry. */
export interface ErrorEntry {
  /** HTTP status answered for this code. */
  readonly status: number;
  /** Short, human-readable summary; the same for every occurrence of the code. */
  readonly title: string;
}

/** One field-level problem inside a validation error. */
export interface ProblemFieldError {
  /** JSON-pointer-like dotted path of the offending field (`items.0.quantity`); empty for the body. */
  readonly path: string;
  readonly message: string;
}

/** An RFC 9457 problem document as a service answers it. */
export interface Problem<Code extends string = string> {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: Code;
  readonly errors?: readonly ProblemFieldError[];
}

/** What {@link defineErrorCatalogue} returns: the table and the functions bound to it. */
export interface ErrorCatalogue<Code extends string> {
  /** The catalogue, keyed by code. */
  readonly entries: Readonly<Record<Code, ErrorEntry>>;
  /** Every code of the catalogue, in table order. */
  readonly codes: readonly Code[];
  /** The `type` URI of a code. */
  readonly problemType: (code: Code) => string;
  /** Builds the problem document for `code`; `detail` must never contain internals (stacks, hosts). */
  readonly problem: (code: Code, detail: string, errors?: readonly ProblemFieldError[]) => Problem<Code>;
}

/** The `type` URI of a code. */
export function problemType(code: string): string {
  return `${problemTypeBase}${code}`;
}

/**
 * Wraps a service's table of codes. Every status must be an HTTP error status (400..599): the
 * catalogue only describes failures, and a 2xx there would answer a problem as a success.
 * @throws RangeError naming the first code whose status is not in 400..599.
 */
export function defineErrorCatalogue<Code extends string>(
  entries: Readonly<Record<Code, ErrorEntry>>,
): ErrorCatalogue<Code> {
  const codes = Object.keys(entries) as Code[];
  for (const code of codes) {
    const { status } = entries[code];
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`status of error code "${code}" must be an integer in [400, 599], got ${status}`);
    }
  }
  return {
    entries,
    codes,
    problemType,
    problem: (code, detail, errors) => {
      const { status, title } = entries[code];
      return {
        type: problemType(code),
        title,
        status,
        detail,
        code,
        ...(errors === undefined ? {} : { errors }),
      };
    },
  };
}
