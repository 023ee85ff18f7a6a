import { scrapeMetrics, type Sample as MetricSample } from '@shipshape/scenarios';
import type { ReplicaStatus, ServiceId, Snapshot } from '../shared/console-state.ts';
import type { ReplicaSamples } from './metric-window.ts';
import { buildSnapshot } from './snapshot.ts';

/** Options of {@link Scraper}. */
export interface ScraperOptions {
  /** Base URLs of every replica per service (what `/metrics` is read from). */
  readonly urls: Readonly<Record<ServiceId, readonly string[]>>;
  /** Scrape interval, ms. @default 1_000 */
  readonly intervalMs?: number;
  /** Window of rates and percentiles, ms. @default 5_000 */
  readonly windowMs?: number;
  /** Timeout of one replica's scrape, ms. @default 900 */
  readonly timeoutMs?: number;
}

interface Round {
  readonly at: number;
  readonly samples: ReplicaSamples;
}

/**
 * Reads every replica's `/metrics` once per interval and turns the last rounds into a
 * {@link Snapshot} for each listener. A replica that does not answer is shown down; its figures
 * are left out until it answers again.
 */
export class Scraper {
  readonly #options: ScraperOptions;
  #view: { readonly urls: Readonly<Record<ServiceId, readonly string[]>>; readonly system: string };
  readonly #rounds: Round[] = [];
  readonly #listeners = new Set<(snapshot: Snapshot) => void>();
  #timer: NodeJS.Timeout | undefined;
  #latest: Snapshot | undefined;
  #busy = false;

  constructor(options: ScraperOptions) {
    this.#options = options;
    this.#view = { urls: options.urls, system: 'this system' };
  }

  /**
   * Follows another system (a private experiment's) until called again without arguments,
   * which goes back to the one of the options. The rate window starts afresh.
   */
  follow(urls?: Readonly<Record<ServiceId, readonly string[]>>, system = 'this system'): void {
    this.#view = urls === undefined ? { urls: this.#options.urls, system: 'this system' } : { urls, system };
    this.#rounds.length = 0;
  }

  /** The last snapshot, once two rounds were scraped. */
  get latest(): Snapshot | undefined {
    return this.#latest;
  }

  /** Calls `listener` with every new snapshot; returns the unsubscribe function. */
  subscribe(listener: (snapshot: Snapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.scrape(), this.#options.intervalMs ?? 1_000);
    this.#timer.unref();
    void this.scrape();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One round: every replica at once. Overlapping rounds are skipped. */
  async scrape(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const view = this.#view;
      const at = Date.now();
      const samples = new Map<string, readonly MetricSample[] | undefined>();
      const replicas = {} as Record<ServiceId, ReplicaStatus[]>;
      const timeoutMs = this.#options.timeoutMs ?? 900;
      await Promise.all(
        (Object.keys(view.urls) as ServiceId[]).map(async (service) => {
          replicas[service] = await Promise.all(
            view.urls[service].map(async (url, i): Promise<ReplicaStatus> => {
              const name = `${service}-${i}`;
              try {
                samples.set(name, await scrapeMetrics(url, timeoutMs));
                return { name, url, up: true };
              } catch (error) {
                samples.set(name, undefined);
                return { name, url, up: false, error: (error as Error).message };
              }
            }),
          );
        }),
      );
      if (view !== this.#view) return; // switched systems meanwhile
      const round: Round = { at, samples };
      this.#rounds.push(round);
      const windowMs = this.#options.windowMs ?? 5_000;
      while (this.#rounds.length > 2 && at - this.#rounds[1]!.at >= windowMs) this.#rounds.shift();
      const older = this.#rounds[0]!;
      if (older === round) return;
      this.#latest = buildSnapshot(older.samples, samples, (at - older.at) / 1000, replicas, at, view.system);
      for (const listener of this.#listeners) listener(this.#latest);
    } finally {
      this.#busy = false;
    }
  }
}
