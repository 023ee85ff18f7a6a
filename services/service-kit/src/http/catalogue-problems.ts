import { HttpProblem, toHttpProblem } from '@shipshape/observability/http';
import { InjectedFaultError } from '../errors/injected-fault-error.ts';
import { isRedisUnavailableError } from '../redis/redis-unavailable.ts';

/** How an error outside the catalogue that the built-in mapping answers with a 5xx is coded. */
export type UnknownServerErrorRule =
  /** Use the catalogue code with the same status if there is one, else `internal_error`. */
  | 'same-status'
  /** Always `internal_error` (for catalogues whose 5xx codes have precise meanings). */
  | 'internal_error';

/** What {@link catalogueProblems} returns for one service's catalogue. */
export interface CatalogueProblems<Code extends string> {
  /** An {@link HttpProblem} for a code of the catalogue (status and title from it). */
  readonly catalogueProblem: (
    code: Code,
    detail: string,
    extra?: { headers?: Record<string, string>; cause?: unknown },
  ) => HttpProblem;
  /**
   * Keeps every answer inside the catalogue: Redis being unreachable is 503
   * `service_unavailable` (a retry may succeed); an error the built-in mapping answers with a
   * code the catalogue does not document (express's 400 for a path that is not valid
   * percent-encoding, body-parser's `malformed_request`) gets the catalogue code of its status,
   * else `validation_failed` for a 4xx and `internal_error` for a 5xx (see
   * {@link UnknownServerErrorRule}). Returns undefined when the built-in answer is already a
   * catalogue code.
   */
  readonly withinCatalogue: (error: unknown) => HttpProblem | undefined;
  /**
   * The answer of a fault injected by `chaos.errorRate` (`chaosMiddleware`'s `fault`): 503
   * `service_unavailable` with `Retry-After: 1`, what a real overloaded replica answers; its
   * cause, an `InjectedFaultError`, has it logged as an expected outcome (`info`, no stack).
   */
  readonly injectedFault: () => HttpProblem;
}

/**
 * Problem builders bound to one service's error catalogue. The catalogue must contain
 * `validation_failed`, `internal_error` and `service_unavailable`.
 * @param unknownServerErrors how an unknown 5xx is coded (default `'same-status'`)
 */
export function catalogueProblems<Code extends string>(
  catalogue: Readonly<Record<Code, { status: number; title: string }>>,
  unknownServerErrors: UnknownServerErrorRule = 'same-status',
): CatalogueProblems<Code> {
  const codes = Object.keys(catalogue) as Code[];
  const catalogueProblem: CatalogueProblems<Code>['catalogueProblem'] = (code, detail, extra = {}) => {
    const { status, title } = catalogue[code];
    return new HttpProblem({ status, code, title, detail, ...extra });
  };
  const withinCatalogue = (error: unknown): HttpProblem | undefined => {
    if (isRedisUnavailableError(error)) {
      return catalogueProblem(
        'service_unavailable' as Code,
        'The service cannot reach its store; retry later.',
        { cause: error, headers: { 'Retry-After': '1' } },
      );
    }
    const builtIn = toHttpProblem(error);
    if (Object.hasOwn(catalogue, builtIn.code)) return undefined;
    const sameStatus = codes.find((code) => catalogue[code].status === builtIn.status);
    const serverError = builtIn.status >= 500;
    const code =
      serverError && unknownServerErrors === 'internal_error'
        ? 'internal_error'
        : (sameStatus ?? (serverError ? 'internal_error' : 'validation_failed'));
    const detail = serverError ? 'An unexpected error occurred.' : builtIn.message;
    return catalogueProblem(code as Code, detail, { cause: error });
  };
  const injectedFault = (): HttpProblem =>
    catalogueProblem('service_unavailable' as Code, 'Injected fault (chaos.errorRate).', {
      headers: { 'Retry-After': '1' },
      cause: new InjectedFaultError('chaos.errorRate'),
    });
  return { catalogueProblem, withinCatalogue, injectedFault };
}
