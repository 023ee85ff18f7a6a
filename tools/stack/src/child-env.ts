import type { ServiceName } from './services.ts';
import type { StackOptions } from './stack-options.ts';

/** Variables passed on from this process even without `inheritEnv`. */
const passedOn = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'CONFIG_FILE', 'CONFIG_DIR', 'SECRETS_DIR'];

/** What {@link childEnv} needs besides the options. */
export interface ChildEnvContext {
  readonly service: ServiceName;
  /** The replica's index: its `CONFIG_INSTANCE`, for per-replica runtime settings. */
  readonly replica: number;
  readonly port: number;
  /** Every replica URL per service (`*_SERVICE_URL` lists them all). */
  readonly urls: Readonly<Record<ServiceName, readonly string[]>>;
  readonly telemetry: boolean;
  readonly logLevel: string;
  readonly inheritEnv: boolean;
  /** `ADMIN__TOKEN`, unless the options' env sets one. */
  readonly adminToken: string;
}

/**
 * The environment of one service process, lowest precedence first: this process's environment
 * (all of it with `inheritEnv`, else `PATH`, `HOME`, … and every `OTEL_*`), then the stack's
 * (`REDIS_URL`, `LOG_LEVEL`, `OTEL_SERVICE_NAME`, `ADMIN__TOKEN`, `CONFIG_INSTANCE` (the replica's
 * index), the order service's `USER_SERVICE_URL` and
 * `PAYMENT_SERVICE_URL`), then `options.env`, then `options.serviceEnv[service]`, and last what
 * the stack must decide: `PORT` and, with telemetry off, `OTEL_SDK_DISABLED=true`.
 */
export function childEnv(options: StackOptions, context: ChildEnvContext): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (context.inheritEnv || passedOn.includes(name) || name.startsWith('OTEL_')) env[name] = value;
  }
  Object.assign(env, {
    REDIS_URL: options.redisUrl,
    LOG_LEVEL: context.logLevel,
    OTEL_SERVICE_NAME: context.service,
    ADMIN__TOKEN: context.adminToken,
    CONFIG_INSTANCE: String(context.replica),
  });
  if (context.service === 'order') {
    env['USER_SERVICE_URL'] = context.urls.user.join(',');
    env['PAYMENT_SERVICE_URL'] = context.urls.payment.join(',');
  }
  Object.assign(env, options.env, options.serviceEnv?.[context.service]);
  env['PORT'] = String(context.port);
  if (context.telemetry) {
    if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') delete env['OTEL_SDK_DISABLED'];
  } else {
    env['OTEL_SDK_DISABLED'] = 'true';
  }
  return env;
}
