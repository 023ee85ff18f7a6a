import type { ServiceName } from './services.ts';

/** How the output of the service processes is handled. */
export type LogMode = 'capture' | 'prefixed';

/** Options of {@link startStack}. */
export interface StackOptions {
  /** The Redis every service uses (`REDIS_URL`); tests pass the harness Redis. */
  redisUrl: string;
  /**
   * Processes per service. `0` leaves that service out (its `*_SERVICE_URL` is then empty, so
   * an order service would use its own default).
   * @default 1 each
   */
  replicas?: Partial<Record<ServiceName, number>>;
  /**
   * Fixed ports per service, one per replica (`npm start`: 3001/3002/3003). Missing entries get
   * a free 127.0.0.1 port.
   * @default free ports
   */
  ports?: Partial<Record<ServiceName, readonly number[]>>;
  /** Extra environment for every process (`RATE_LIMIT__LIMIT`, `WORKER__ATTEMPTS`, `OTEL_*`, …). */
  env?: Readonly<Record<string, string>>;
  /** Extra environment per service, applied after {@link env}. */
  serviceEnv?: Partial<Record<ServiceName, Readonly<Record<string, string>>>>;
  /**
   * Tracing on: the SDK exports to `OTEL_EXPORTER_OTLP_ENDPOINT` (pass it in {@link env}).
   * `false` sets `OTEL_SDK_DISABLED=true`.
   * @default false
   */
  telemetry?: boolean;
  /**
   * `capture` keeps the last {@link logLines} lines of each process (`process.logs()`);
   * `prefixed` also writes every line to stdout, prefixed with `<service>-<replica>` in colour.
   * @default 'capture'
   */
  logs?: LogMode;
  /** Lines kept per process (a ring: older lines are dropped). @default 2000 */
  logLines?: number;
  /** `LOG_LEVEL` of the services. @default 'info' */
  logLevel?: string;
  /**
   * Pass this process's environment on to the services (what `npm start` does, so that
   * `CHAOS__ERROR_RATE=…`, `CONFIG_FILE`, … work). Without it the children get only `PATH`,
   * `HOME`, the `OTEL_*`, `CONFIG_FILE`/`CONFIG_DIR`/`SECRETS_DIR` variables and the ones set here.
   * @default false
   */
  inheritEnv?: boolean;
  /**
   * The operator bearer token of `/config` and `/admin/*` (`ADMIN__TOKEN` of every process, at
   * least 16 characters). `setChaos` reads `/config` with it; callers find it in `stack.adminToken`.
   * An `ADMIN__TOKEN` in {@link env} wins.
   * @default a random token per stack
   */
  adminToken?: string;
  /** How long a (re)start may take until `GET /ready` answers 200, in ms. @default 30 000 */
  readyTimeoutMs?: number;
  /** Grace period of a graceful stop (SIGTERM) before SIGKILL, in ms. @default 15 000 */
  stopTimeoutMs?: number;
}

/** The defaults merged under every {@link StackOptions}. */
export const stackDefaults = {
  telemetry: false,
  logs: 'capture' as LogMode,
  logLines: 2_000,
  logLevel: 'info',
  inheritEnv: false,
  readyTimeoutMs: 30_000,
  stopTimeoutMs: 15_000,
};
