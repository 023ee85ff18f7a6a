import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { EndpointAddress } from './endpoint.ts';

/** One endpoint entry with an explicit weight (for weighted balancing / canary splits). */
export interface EndpointConfig {
  /** `http://host:port`; a hostname may resolve to several addresses. */
  url: string;
  /**
   * Relative weight (> 0).
   * @default 1
   */
  weight?: number;
}

/**
 * The `endpoints` option: a comma-separated string (as in `USER_SERVICE_URL`) or a list of
 * URLs / {@link EndpointConfig}s.
 */
export type EndpointsOption = string | readonly (string | EndpointConfig)[];

/** One address returned by a lookup; `port` overrides the URL's port when given. */
export interface LookupAddress {
  address: string;
  port?: number;
}

/** Resolves a hostname to every address behind it (all A/AAAA records). */
export type LookupFunction = (hostname: string) => Promise<readonly LookupAddress[]>;

/** The default lookup: the system resolver, every address (`dns.lookup` with `all: true`). */
export const systemLookup: LookupFunction = async (hostname) => dnsLookup(hostname, { all: true });

interface Target {
  protocol: string;
  hostname: string;
  port: number;
  weight: number;
  literal: boolean;
}

/** Parses and validates the `endpoints` option. */
export function parseEndpoints(option: EndpointsOption): Target[] {
  const entries = typeof option === 'string' ? option.split(',').filter((s) => s.trim() !== '') : option;
  if (entries.length === 0)
    throw new RangeError(`endpoints must list at least one URL, got ${JSON.stringify(option)}`);
  return entries.map((entry) => {
    const { url, weight = 1 } = typeof entry === 'string' ? { url: entry } : entry;
    let parsed: URL;
    try {
      parsed = new URL(url.trim());
    } catch {
      throw new RangeError(`endpoints: not a URL: ${JSON.stringify(url)}`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new RangeError(`endpoints: protocol must be http: or https:, got ${parsed.protocol}`);
    }
    if (!(weight > 0)) throw new RangeError(`endpoints: weight must be > 0, got ${weight} for ${url}`);
    const hostname = parsed.hostname.replace(/^\[|\]$/g, '');
    const port = parsed.port === '' ? (parsed.protocol === 'https:' ? 443 : 80) : Number(parsed.port);
    return { protocol: parsed.protocol, hostname, port, weight, literal: isIP(hostname) !== 0 };
  });
}

/**
 * Turns endpoint targets into addresses, re-resolving hostnames periodically. A failed or
 * empty lookup keeps that hostname's previous addresses: a DNS hiccup must not drop a healthy
 * fleet, and dead addresses are handled by breakers and outlier ejection.
 */
export class EndpointResolver {
  readonly #targets: Target[];
  readonly #lookup: LookupFunction;
  readonly #onAddresses: (addresses: EndpointAddress[]) => void;
  readonly #onError: (hostname: string, error: unknown) => void;
  readonly #last = new Map<Target, EndpointAddress[]>();
  #running: Promise<void> | undefined;

  constructor(
    targets: Target[],
    lookup: LookupFunction,
    onAddresses: (addresses: EndpointAddress[]) => void,
    onError: (hostname: string, error: unknown) => void,
  ) {
    this.#targets = targets;
    this.#lookup = lookup;
    this.#onAddresses = onAddresses;
    this.#onError = onError;
  }

  /** True when some target is a hostname (so periodic re-resolution is worth running). */
  get dynamic(): boolean {
    return this.#targets.some((t) => !t.literal);
  }

  /** Resolves every target once (concurrent callers share one run) and publishes the result. */
  refresh(): Promise<void> {
    this.#running ??= this.#resolveAll().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #resolveAll(): Promise<void> {
    const lists = await Promise.all(this.#targets.map((t) => this.#resolve(t)));
    this.#onAddresses(lists.flat());
  }

  async #resolve(target: Target): Promise<EndpointAddress[]> {
    const base = { protocol: target.protocol, weight: target.weight };
    if (target.literal)
      return [{ ...base, address: target.hostname, port: target.port, hostHeader: undefined }];
    try {
      const found = await this.#lookup(target.hostname);
      if (found.length === 0) throw new Error(`no address for ${target.hostname}`);
      const hostHeader = `${target.hostname}:${target.port}`;
      const addresses = found.map((a) => ({
        ...base,
        address: a.address,
        port: a.port ?? target.port,
        hostHeader,
      }));
      this.#last.set(target, addresses);
      return addresses;
    } catch (error) {
      this.#onError(target.hostname, error);
      return this.#last.get(target) ?? [];
    }
  }
}
