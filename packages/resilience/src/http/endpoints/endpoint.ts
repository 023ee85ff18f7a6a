import type { Dispatcher } from 'undici';
import type { Candidate } from '../load-balancing/load-balancer.ts';

/** The part of a circuit breaker the client relies on (the policies' `CircuitBreaker` fits). */
export interface EndpointBreaker {
  readonly name: string;
  execute<T>(
    fn: (context: { signal: AbortSignal; attempt: number }) => T | Promise<T>,
    signal?: AbortSignal,
  ): Promise<T>;
  onStateChange(listener: (event: { name: string; from: string; to: string }) => void): {
    dispose(): void;
  };
  snapshot(): { state: string };
}

/** One concrete address to send to, as produced by endpoint resolution. */
export interface EndpointAddress {
  /** `http:` or `https:`. */
  readonly protocol: string;
  /** IP address (or hostname when resolution is left to the socket layer). */
  readonly address: string;
  readonly port: number;
  /** `Host` header to send when the address came from a DNS name, e.g. `user:3001`. */
  readonly hostHeader: string | undefined;
  /** Relative weight for weighted balancing. */
  readonly weight: number;
}

/** Outlier-ejection bookkeeping of one endpoint (owned by the OutlierDetector). */
export interface OutlierState {
  consecutiveFailures: number;
  /** Clock time until which the endpoint is ejected; 0 when not ejected. */
  ejectedUntil: number;
  /** How many times it was ejected recently; the ejection time grows with it. */
  ejections: number;
  /** Clock time of the last return from ejection, for decaying `ejections`. */
  returnedAt: number;
}

/** `host:port`, with IPv6 addresses bracketed. */
export function endpointKey(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/**
 * One upstream instance: its keep-alive connection pool, its circuit breaker, its in-flight
 * count (for least-request balancing) and its outlier state.
 */
export class Endpoint implements Candidate {
  /** `host:port`, the label used in events and metrics. */
  readonly key: string;
  /** `http://host:port`. */
  readonly origin: string;
  readonly hostHeader: string | undefined;
  /** IP address (no brackets) and port, for span attributes. */
  readonly address: string;
  readonly port: number;
  readonly weight: number;
  /** The connection pool new attempts use; replaced by {@link renewPool}. */
  pool: Dispatcher;
  readonly breaker: EndpointBreaker | undefined;
  readonly outlier: OutlierState = { consecutiveFailures: 0, ejectedUntil: 0, ejections: 0, returnedAt: 0 };
  inFlight = 0;
  /** Mirrors the breaker's last reported state, so healthy selection needs no breaker call. */
  breakerOpen = false;
  readonly #subscription: { dispose(): void } | undefined;
  readonly #createPool: (origin: string) => Dispatcher;

  constructor(
    address: EndpointAddress,
    createPool: (origin: string) => Dispatcher,
    createBreaker: ((key: string) => EndpointBreaker | undefined) | undefined,
  ) {
    this.key = endpointKey(address.address, address.port);
    this.address = address.address;
    this.port = address.port;
    this.origin = `${address.protocol}//${this.key}`;
    this.hostHeader = address.hostHeader;
    this.weight = address.weight;
    this.#createPool = createPool;
    this.pool = createPool(this.origin);
    this.breaker = createBreaker?.(this.key);
    this.#subscription = this.breaker?.onStateChange(({ to }) => {
      this.breakerOpen = to === 'open' || to === 'isolated';
    });
  }

  /**
   * True when the breaker rejects calls right now. An open breaker only moves to half-open
   * when asked, so an endpoint believed open is re-checked through `snapshot()`.
   */
  isBroken(): boolean {
    if (!this.breakerOpen || !this.breaker) return false;
    const state = this.breaker.snapshot().state;
    this.breakerOpen = state === 'open' || state === 'isolated';
    return this.breakerOpen;
  }

  /**
   * Gives the endpoint a new pool (new connections, e.g. with rotated TLS material) and returns
   * the old one's closing: its in-flight requests finish on their connections, then they close.
   */
  renewPool(): Promise<void> {
    const old = this.pool;
    this.pool = this.#createPool(this.origin);
    return old.close();
  }

  /** Stops accepting work and closes the pool once its in-flight requests have finished. */
  async drain(): Promise<void> {
    this.#subscription?.dispose();
    await this.pool.close();
  }
}
