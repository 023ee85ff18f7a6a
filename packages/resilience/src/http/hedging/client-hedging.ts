import { createRetryBudget } from '../client-policies.ts';
import type { ClientRetryBudget } from '../policy-shapes.ts';
import { ClientHedgingEvents } from './hedging-events.ts';
import { resolveHedging, type HedgingOptions, type ResolvedHedging } from './hedging-options.ts';
import { LatencyWindow } from './latency-window.ts';

/** Per-call hedging settings: the client's options minus the budget, which is per client. */
export type RequestHedgingOptions = Omit<HedgingOptions, 'budget'>;

/** What one call is hedged with. */
export interface CallHedging {
  /** Wait before each hedge of this call, in ms. */
  readonly delayMs: number;
  readonly maxHedges: number;
  /** Where this call's answered attempts are recorded (the live delay), if it uses one. */
  readonly window: LatencyWindow | undefined;
}

/**
 * The hedging state of one service client: its settings (the client's, or a call's own), the
 * live latency windows per route, the hedge budget and the hedging events.
 */
export class ClientHedging {
  readonly events: ClientHedgingEvents;
  /** What hedges withdraw from: the client's retry budget unless `hedging.budget` was given. */
  readonly budget: ClientRetryBudget;
  readonly #defaults: ResolvedHedging | undefined;
  // Call options are usually one constant per route: validated once per object.
  readonly #resolved = new WeakMap<RequestHedgingOptions, ResolvedHedging>();
  readonly #windows = new Map<string, LatencyWindow>();

  constructor(service: string, options: HedgingOptions | false | undefined, retryBudget: ClientRetryBudget) {
    this.events = new ClientHedgingEvents(service);
    this.#defaults = options ? resolveHedging(options) : undefined;
    this.budget =
      options && options.budget !== undefined
        ? createRetryBudget(`${service}-hedging`, options.budget)
        : retryBudget;
  }

  /**
   * How to hedge one call, or `undefined` when it is not hedged: hedging is off for it, or the
   * request may not be sent twice (`retryable` false).
   * @param option the call's `hedging` (`false` turns it off, options replace the client's)
   * @param route the call's route template, whose latency the live delay follows
   */
  forCall(
    option: RequestHedgingOptions | false | undefined,
    retryable: boolean,
    route: string,
  ): CallHedging | undefined {
    if (!retryable || option === false) return undefined;
    const settings = option === undefined ? this.#defaults : this.#resolve(option);
    if (settings === undefined) return undefined;
    if (settings.delayMs !== undefined) {
      return { delayMs: settings.delayMs, maxHedges: settings.maxHedges, window: undefined };
    }
    const key = `${settings.percentile} ${route}`;
    let window = this.#windows.get(key);
    if (window === undefined) this.#windows.set(key, (window = new LatencyWindow(settings.percentile)));
    const live = window.value ?? settings.maxDelayMs;
    const delayMs = Math.min(settings.maxDelayMs, Math.max(settings.minDelayMs, live));
    return { delayMs, maxHedges: settings.maxHedges, window };
  }

  #resolve(option: RequestHedgingOptions): ResolvedHedging {
    let resolved = this.#resolved.get(option);
    if (resolved === undefined)
      this.#resolved.set(option, (resolved = resolveHedging(option, 'request.hedging')));
    return resolved;
  }
}
