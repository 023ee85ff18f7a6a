import { errorBrand, hasBrand } from './brand.ts';
import { DEFAULT_PROBLEM_TYPE_BASE, defaultTitle } from './problem-details.ts';
import type { ProblemDetails, ProblemFieldError } from './problem-details.ts';

/** Options of {@link HttpProblem}. */
export interface HttpProblemOptions {
  /** HTTP status, 400–599. */
  status: number;
  /** Stable machine-readable code, e.g. `email_taken`. */
  code: string;
  /**
   * This occurrence, for humans. Shown to clients: never put internals in it.
   * @default the title
   */
  detail?: string;
  /**
   * Short summary of the problem type.
   * @default the HTTP reason phrase of `status`
   */
  title?: string;
  /** Field-level problems, for validation errors. */
  errors?: readonly ProblemFieldError[];
  /** Response headers to add (`Retry-After`, `Allow`, …). */
  headers?: Readonly<Record<string, string>>;
  /** The underlying error, logged but never sent. */
  cause?: unknown;
}

/**
 * An error that services throw to answer a specific problem+json response: the error
 * middleware sends its status, code, detail, errors and headers as they are.
 */
export class HttpProblem extends Error {
  readonly [errorBrand] = true;
  override readonly name = 'HttpProblem';
  /** HTTP status. */
  readonly status: number;
  /** Stable machine-readable code. */
  readonly code: string;
  /** Summary of the problem type. */
  readonly title: string;
  /** Field-level problems, if any. */
  readonly errors: readonly ProblemFieldError[] | undefined;
  /** Headers added to the response. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(options: HttpProblemOptions) {
    if (!Number.isInteger(options.status) || options.status < 400 || options.status > 599) {
      throw new RangeError(`status must be an integer in [400, 599], got ${options.status}`);
    }
    if (!/^[a-z][a-z0-9_]*$/.test(options.code)) {
      throw new RangeError(`code must be a snake_case token, got ${JSON.stringify(options.code)}`);
    }
    const title = options.title ?? defaultTitle(options.status);
    super(options.detail ?? title, { cause: options.cause });
    this.status = options.status;
    this.code = options.code;
    this.title = title;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }

  /** The problem document, with `type` = `typeBase` + code. */
  toProblem(typeBase: string = DEFAULT_PROBLEM_TYPE_BASE): ProblemDetails {
    return {
      type: `${typeBase}${this.code}`,
      title: this.title,
      status: this.status,
      detail: this.message,
      code: this.code,
      ...(this.errors ? { errors: [...this.errors] } : {}),
    };
  }
}

/** True for an {@link HttpProblem}, even one from another copy of this package. */
export function isHttpProblem(value: unknown): value is HttpProblem {
  return hasBrand(value, 'HttpProblem');
}
