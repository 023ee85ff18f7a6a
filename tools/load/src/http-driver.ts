import { Pool } from 'undici';
import type { HttpRequestSpec, ServiceName } from './request-builder.ts';
import type { Targets } from './targets.ts';

/** Options of {@link HttpDriver}. */
export interface HttpDriverOptions {
  /** Keep-alive connections per endpoint. @default 256 */
  connections?: number;
  /** Per-request timeout (headers and body each), in ms. @default 10_000 */
  timeoutMs?: number;
}

/** What came back. */
export interface HttpOutcome {
  /** The status code, or undefined for a transport failure. */
  readonly statusCode?: number;
  /** problem+json `code`, `http_<status>` for an error without one, or the transport error code. */
  readonly errorCode?: string;
  /** The `id` of a created resource, when the request asked for the body. */
  readonly id?: string;
}

const defaults = { connections: 256, timeoutMs: 10_000 };

/**
 * Sends requests over one keep-alive undici `Pool` per endpoint, several endpoints of a
 * service taken round-robin. Never throws for a failed request: failures are outcomes.
 */
export class HttpDriver {
  readonly #pools: Record<ServiceName, Pool[]>;
  readonly #turn: Record<ServiceName, number> = { user: 0, order: 0, payment: 0 };
  readonly #timeoutMs: number;

  constructor(targets: Targets, options: HttpDriverOptions = {}) {
    const merged = { ...defaults, ...options };
    if (!(Number.isInteger(merged.connections) && merged.connections >= 1)) {
      throw new RangeError(`connections must be an integer >= 1, got ${merged.connections}`);
    }
    if (!(merged.timeoutMs > 0)) throw new RangeError(`timeoutMs must be > 0, got ${merged.timeoutMs}`);
    this.#timeoutMs = merged.timeoutMs;
    const pools = (service: ServiceName): Pool[] =>
      targets[service].urls.map(
        (url) =>
          new Pool(url.origin, {
            connections: merged.connections,
            pipelining: 1,
            connectTimeout: merged.timeoutMs,
            headersTimeout: merged.timeoutMs,
            bodyTimeout: merged.timeoutMs,
          }),
      );
    this.#pools = { user: pools('user'), order: pools('order'), payment: pools('payment') };
  }

  /** Sends one request and reads its response. */
  async send(spec: HttpRequestSpec): Promise<HttpOutcome> {
    const pools = this.#pools[spec.service];
    const pool = pools[this.#turn[spec.service]++ % pools.length]!;
    try {
      const response = await pool.request({
        method: spec.method,
        path: spec.path,
        headers: { ...spec.headers, 'x-request-timeout-ms': String(this.#timeoutMs) },
        body: spec.body,
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
      });
      const statusCode = response.statusCode;
      const contentType = String(response.headers['content-type'] ?? '');
      if (statusCode >= 400) {
        const code = contentType.includes('json') ? await problemCode(response.body) : undefined;
        if (code === undefined) await response.body.dump();
        return { statusCode, errorCode: code ?? `http_${statusCode}` };
      }
      if (spec.wantBody && contentType.includes('json')) {
        const body = (await response.body.json()) as { id?: unknown };
        return typeof body.id === 'string' ? { statusCode, id: body.id } : { statusCode };
      }
      await response.body.dump();
      return { statusCode };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      return { errorCode: typeof code === 'string' ? code : 'transport_error' };
    }
  }

  /**
   * Sends `GET /health` once to every endpoint and ignores the outcome: the first request on a
   * cold process pays for connection set-up and compiling the client's code paths, and that
   * cost belongs to the generator, not to the measured run.
   */
  async warmUp(): Promise<void> {
    await Promise.all(
      Object.values(this.#pools)
        .flat()
        .map(async (pool) => {
          try {
            const response = await pool.request({
              method: 'GET',
              path: '/health',
              headersTimeout: this.#timeoutMs,
            });
            await response.body.dump();
          } catch {
            // An unreachable endpoint shows up in the run's own errors.
          }
        }),
    );
  }

  /** Closes every connection; in-flight requests are aborted. */
  async close(): Promise<void> {
    await Promise.all(
      Object.values(this.#pools)
        .flat()
        .map((pool) => pool.destroy()),
    );
  }
}

async function problemCode(body: { json(): Promise<unknown> }): Promise<string | undefined> {
  try {
    const problem = (await body.json()) as { code?: unknown };
    return typeof problem.code === 'string' ? problem.code : undefined;
  } catch {
    return undefined;
  }
}
