import type { Dispatcher } from 'undici';
import type { Emitter } from '../../policies/common/emitter.ts';
import type { LoadBalancer } from '../load-balancing/load-balancer.ts';
import { Endpoint, endpointKey, type EndpointAddress, type EndpointBreaker } from './endpoint.ts';
import type { OutlierDetector } from './outlier-detector.ts';

/** What happened to an endpoint: DNS added/removed it, or outlier detection ejected/returned it. */
export type EndpointChange = 'added' | 'removed' | 'ejected' | 'returned';

/** Payload of `client.onEndpointChange`. */
export interface EndpointChangeEvent {
  service: string;
  /** `host:port`. */
  endpoint: string;
  change: EndpointChange;
}

/** Collaborators of an {@link EndpointRegistry}. */
export interface EndpointRegistryDeps {
  service: string;
  createPool: (origin: string) => Dispatcher;
  createBreaker: ((key: string) => EndpointBreaker | undefined) | undefined;
  balancer: LoadBalancer;
  outliers: OutlierDetector;
  changes: Emitter<EndpointChangeEvent>;
}

/**
 * The live endpoints of one upstream. Adds and drains endpoints as resolution changes (a
 * removed endpoint finishes its in-flight requests before its pool closes) and picks the
 * endpoint for each attempt: healthy first, a not-yet-tried one when retrying, and every
 * non-broken endpoint when all healthy ones are ejected (panic mode).
 */
export class EndpointRegistry {
  readonly #deps: EndpointRegistryDeps;
  #endpoints: Endpoint[] = [];
  readonly #ejected = new Set<Endpoint>();
  readonly #draining = new Set<Promise<void>>();

  constructor(deps: EndpointRegistryDeps) {
    this.#deps = deps;
  }

  /** The live endpoints, in resolution order. */
  get all(): readonly Endpoint[] {
    return this.#endpoints;
  }

  /** Makes the live set equal to `addresses`: new ones are added, missing ones drained. */
  reconcile(addresses: readonly EndpointAddress[]): void {
    const wanted = new Map(addresses.map((a) => [endpointKey(a.address, a.port), a]));
    const kept: Endpoint[] = [];
    const removed: Endpoint[] = [];
    for (const endpoint of this.#endpoints) {
      if (wanted.delete(endpoint.key)) kept.push(endpoint);
      else removed.push(endpoint);
    }
    const added = [...wanted.values()].map(
      (address) => new Endpoint(address, this.#deps.createPool, this.#deps.createBreaker),
    );
    // The new list is in place before anyone hears of the change, so a listener that re-reads
    // the endpoints (the metrics bridge re-reads the breakers) sees the new state.
    this.#endpoints = [...kept, ...added];
    for (const endpoint of removed) {
      this.#ejected.delete(endpoint);
      this.#startDrain(endpoint);
      this.#emit(endpoint, 'removed');
    }
    for (const endpoint of added) this.#emit(endpoint, 'added');
  }

  /**
   * Chooses the endpoint of the next attempt, or `undefined` when every endpoint's breaker is
   * open (or there is none).
   * @param tried endpoints already used by this request; avoided while others are eligible
   */
  pick(tried?: ReadonlySet<Endpoint>): Endpoint | undefined {
    const all = this.#endpoints;
    if (all.length === 0) return undefined;
    let eligible: readonly Endpoint[] = all;
    if (!this.#allHealthy(all)) {
      eligible = all.filter((e) => !this.#isEjected(e) && !e.isBroken());
      // Panic: when nothing healthy is left, ejection is ignored rather than failing everything.
      if (eligible.length === 0) eligible = all.filter((e) => !e.isBroken());
      if (eligible.length === 0) return undefined;
    }
    if (tried !== undefined && tried.size > 0) {
      const fresh = eligible.filter((e) => !tried.has(e));
      if (fresh.length > 0) eligible = fresh;
    }
    return this.#deps.balancer.pick(eligible);
  }

  /** Feeds one attempt's outcome to outlier detection. */
  record(endpoint: Endpoint, ok: boolean): void {
    if (this.#deps.outliers.record(endpoint, ok, this.#endpoints) === 'ejected') {
      this.#ejected.add(endpoint);
      this.#emit(endpoint, 'ejected');
    }
  }

  /**
   * Moves every endpoint to a fresh pool: new attempts open new connections while the old pools
   * finish their in-flight requests and close (a TLS rotation then reaches every connection
   * within one request's time, even under steady traffic that would keep old sockets alive).
   */
  renewPools(): void {
    for (const endpoint of this.#endpoints) this.#track(endpoint.renewPool());
  }

  /** Drains every endpoint: waits for in-flight requests, then closes the pools. */
  async close(): Promise<void> {
    for (const endpoint of this.#endpoints) this.#startDrain(endpoint);
    this.#endpoints = [];
    this.#ejected.clear();
    await Promise.all(this.#draining);
  }

  #allHealthy(all: readonly Endpoint[]): boolean {
    if (this.#ejected.size > 0) return false;
    for (const e of all) if (e.breakerOpen) return false;
    return true;
  }

  #isEjected(endpoint: Endpoint): boolean {
    if (!this.#ejected.has(endpoint)) return false;
    if (this.#deps.outliers.isEjected(endpoint)) return true;
    this.#ejected.delete(endpoint);
    this.#emit(endpoint, 'returned');
    return false;
  }

  #startDrain(endpoint: Endpoint): void {
    this.#track(endpoint.drain());
  }

  #track(closing: Promise<void>): void {
    const done = closing.catch(() => undefined).finally(() => this.#draining.delete(done));
    this.#draining.add(done);
  }

  #emit(endpoint: Endpoint, change: EndpointChange): void {
    this.#deps.changes.emit({ service: this.#deps.service, endpoint: endpoint.key, change });
  }
}
