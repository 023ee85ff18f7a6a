import { parseArgs } from 'node:util';
import { defaultPorts, isServiceName, serviceNames, type ServiceName } from '../services.ts';

/** What `npm start` runs, from its flags and environment. */
export interface StartSettings {
  readonly redisUrl: string;
  readonly replicas: Record<ServiceName, number>;
  /** Ports per service, one per replica. */
  readonly ports: Record<ServiceName, number[]>;
  readonly telemetry: boolean;
  readonly logLevel: string;
  /** Whether the experiment console (tools/console) runs beside the services. */
  readonly console: boolean;
}

/** `--help` text of `npm start`. */
export const startUsage = `Usage: npm start [-- options]

Builds and runs the user, order and payment services on this machine against REDIS_URL, with
prefixed, coloured logs. Ctrl-C stops them gracefully (a second Ctrl-C kills them).

Options
  --replicas <svc=n,...>   processes per service, e.g. order=2,payment=2   (default 1 each)
  --no-console             without the experiment console (http://127.0.0.1:3100)
  -h, --help               this text

Environment
  REDIS_URL                the Redis of every service        (default redis://127.0.0.1:6379)
  USER_PORT, ORDER_PORT, PAYMENT_PORT
                           port of replica 0 (default 3001, 3002, 3003); replica i listens on
                           port + 10·i (3012 is order replica 1)
  OTEL_EXPORTER_OTLP_ENDPOINT
                           when set (e.g. http://127.0.0.1:4318, a local Jaeger), traces are
                           exported there; otherwise tracing is off (OTEL_SDK_DISABLED=true)
  CONSOLE_PORT, CONSOLE_HOST
                           where the experiment console listens (default 3100, 127.0.0.1)
  LOG_LEVEL, OTEL_*, CONFIG_FILE, CONFIG_DIR, SECRETS_DIR, any service setting (RATE_LIMIT__LIMIT,
  CHAOS__ERROR_RATE, WORKER__CONCURRENCY, …) are passed on to every service.

Exit codes: 0 stopped by Ctrl-C/SIGTERM; 1 Redis unreachable, a port in use or a service failed
to start; 2 bad option.`;

/** A flag or variable `npm start` cannot use. */
export class StartUsageError extends Error {
  override readonly name = 'StartUsageError';
}

/**
 * Reads `npm start`'s flags and environment.
 * @returns undefined when `--help` was asked for
 * @throws StartUsageError naming the bad flag or variable
 */
export function parseStartArgs(argv: readonly string[], env: NodeJS.ProcessEnv): StartSettings | undefined {
  let values: { replicas?: string; help?: boolean; 'no-console'?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        replicas: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        'no-console': { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new StartUsageError((error as Error).message);
  }
  if (values.help) return undefined;
  const replicas: Record<ServiceName, number> = { user: 1, order: 1, payment: 1 };
  for (const item of (values.replicas ?? '').split(',').filter((s) => s.trim() !== '')) {
    const [name = '', count = ''] = item.split('=').map((s) => s.trim());
    const n = Number(count);
    if (!isServiceName(name)) throw new StartUsageError(`--replicas: unknown service "${name}"`);
    if (!/^\d+$/.test(count) || n < 1 || n > 9)
      throw new StartUsageError(`--replicas: ${name} must be 1..9, got "${count}"`);
    replicas[name] = n;
  }
  const ports = {} as Record<ServiceName, number[]>;
  for (const service of serviceNames) {
    const variable = `${service.toUpperCase()}_PORT`;
    const raw = env[variable]?.trim();
    const base = raw ? Number(raw) : defaultPorts[service];
    if (!Number.isInteger(base) || base < 1 || base > 65_535 - 90)
      throw new StartUsageError(`${variable} must be a port number, got "${raw}"`);
    ports[service] = Array.from({ length: replicas[service] }, (_, i) => base + 10 * i);
  }
  return {
    redisUrl: env['REDIS_URL']?.trim() || 'redis://127.0.0.1:6379',
    replicas,
    ports,
    telemetry:
      (env['OTEL_EXPORTER_OTLP_ENDPOINT'] ?? env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] ?? '').trim() !== '' &&
      env['OTEL_SDK_DISABLED']?.trim().toLowerCase() !== 'true',
    logLevel: env['LOG_LEVEL']?.trim() || 'info',
    console: values['no-console'] !== true,
  };
}
