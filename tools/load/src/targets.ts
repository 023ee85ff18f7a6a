import { isIP } from 'node:net';
import type { ServiceName } from './request-builder.ts';
import { TargetRefusedError } from './target-refused-error.ts';

/** Where a target came from; only `flag` and `env` count as the user naming it. */
export type TargetSource = 'flag' | 'env' | 'default';

/** The endpoints of one service. Several endpoints are used round-robin. */
export interface Target {
  readonly urls: readonly URL[];
  readonly source: TargetSource;
}

/** The three services' targets. */
export type Targets = Readonly<Record<ServiceName, Target>>;

/** The default endpoints: this machine, the contract ports. */
export const defaultTargetUrls: Readonly<Record<ServiceName, string>> = {
  user: 'http://127.0.0.1:3001',
  order: 'http://127.0.0.1:3002',
  payment: 'http://127.0.0.1:3003',
};

/** The environment variable each service's endpoints are read from (same as the services'). */
export const targetEnv: Readonly<Record<ServiceName, string>> = {
  user: 'USER_SERVICE_URL',
  order: 'ORDER_SERVICE_URL',
  payment: 'PAYMENT_SERVICE_URL',
};

/**
 * Resolves each service's endpoints: a flag wins over the environment, which wins over the
 * loopback default. A value may list several comma-separated URLs.
 */
export function resolveTargets(
  flags: Partial<Record<ServiceName, string>>,
  env: Readonly<Record<string, string | undefined>>,
): Targets {
  const one = (service: ServiceName): Target => {
    const flag = flags[service];
    const fromEnv = env[targetEnv[service]];
    if (flag !== undefined && flag !== '') return { urls: parseUrls(flag, service), source: 'flag' };
    if (fromEnv !== undefined && fromEnv !== '') return { urls: parseUrls(fromEnv, service), source: 'env' };
    return { urls: parseUrls(defaultTargetUrls[service], service), source: 'default' };
  };
  return { user: one('user'), order: one('order'), payment: one('payment') };
}

function parseUrls(text: string, service: ServiceName): URL[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      let url: URL;
      try {
        url = new URL(part);
      } catch {
        throw new RangeError(`${service} target must be an http(s) URL, got "${part}"`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new RangeError(`${service} target must be an http(s) URL, got "${part}"`);
      }
      return url;
    });
}

/** True for `localhost`, `*.localhost`, 127.0.0.0/8 and ::1 — hosts that never leave the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || /^::ffff:127\./.test(host);
  return false;
}

/**
 * Refuses, before anything is sent, any endpoint off this machine that the user did not name
 * (source `default`) unless `allowRemote` is set. The CLI passes targets from flags and the
 * `*_SERVICE_URL` environment as named; library callers name theirs with `allowRemote`.
 * @throws TargetRefusedError
 */
export function assertTargetsAllowed(targets: Targets, allowRemote: boolean): void {
  for (const target of Object.values(targets)) {
    if (allowRemote || target.source !== 'default') continue;
    for (const url of target.urls) {
      if (!isLoopbackHost(url.hostname)) {
        throw new TargetRefusedError(
          url.href,
          `refusing to send load to ${url.host}: it is not this machine and no flag or *_SERVICE_URL named it`,
        );
      }
    }
  }
}
