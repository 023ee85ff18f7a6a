import type { IncomingHttpHeaders } from 'node:http';
import type { AttemptCancel } from './abort-scope.ts';
import { errorCode } from './classify.ts';
import { collectResponse, type RawResponse } from './collect-response.ts';
import { DEADLINE_HEADER } from './deadline.ts';
import type { Endpoint } from './endpoints/endpoint.ts';
import type { HedgeTag } from './hedging/hedge-tag.ts';
import { startAttemptSpan } from './telemetry.ts';

/** A request after validation and header assembly; the same for every attempt. */
export interface PreparedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string | number | boolean> | undefined;
  readonly body: string | Uint8Array | undefined;
  /** Lower-case names; per-attempt headers (deadline, host, trace) are added on a copy. */
  readonly headers: Readonly<Record<string, string>>;
  /** May this request be sent more than once (idempotent method or Idempotency-Key)? */
  readonly retryable: boolean;
}

/** The answer of one attempt, body already read and parsed. */
export interface AttemptResult {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

/**
 * Sends one attempt to one endpoint: adds the remaining deadline, the Host of a DNS-named
 * upstream and the trace context, runs it in a client span and reads the whole body.
 * @param budgetMs deadline of this attempt, sent downstream in `x-request-timeout-ms`
 * @param maxResponseBytes larger bodies fail the attempt (undici ResponseExceededMaxSizeError)
 * @param hedge the attempt's place in a hedged round, for its span
 */
export async function sendAttempt(
  service: string,
  endpoint: Endpoint,
  request: PreparedRequest,
  attempt: number,
  budgetMs: number,
  cancel: AttemptCancel,
  maxResponseBytes: number,
  hedge: HedgeTag | undefined,
): Promise<AttemptResult> {
  if (cancel.reason !== undefined) throw cancel.reason;
  const headers: Record<string, string> = {
    ...request.headers,
    [DEADLINE_HEADER]: String(Math.floor(budgetMs)),
  };
  if (endpoint.hostHeader !== undefined) headers.host = endpoint.hostHeader;
  const span = startAttemptSpan(
    {
      service,
      method: request.method,
      address: endpoint.address,
      port: endpoint.port,
      url: endpoint.origin + request.path,
      attempt,
      hedge: hedge?.index,
    },
    headers,
  );
  try {
    const response = await span.run(() =>
      collectResponse(
        endpoint.pool,
        {
          path: request.path,
          method: request.method,
          headers,
          body: request.body ?? null,
          query: request.query,
        },
        cancel,
        maxResponseBytes,
      ),
    );
    span.end({ status: response.status, hedge: hedge?.spanOutcome(response.status) });
    return { status: response.status, headers: response.headers, body: parseBody(response) };
  } catch (error) {
    span.end({
      error,
      errorType: errorCode(error) ?? (error instanceof Error ? error.name : 'error'),
      hedge: hedge?.spanOutcome(undefined),
    });
    throw error;
  }
}

function parseBody(response: RawResponse): unknown {
  if (response.body.length === 0) return undefined;
  const text = response.body.toString('utf8');
  const type = response.headers['content-type'];
  if (typeof type === 'string' && type.includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // A broken JSON body is still information (often a proxy's HTML error page): keep it.
      return text;
    }
  }
  return text;
}
