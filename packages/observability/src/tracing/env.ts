/** An environment to read `OTEL_*` variables from (normally `process.env`). */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Whether `OTEL_SDK_DISABLED` switches the SDK off. The specification treats only the
 * case-insensitive value `true` as disabling; anything else (including `1`) leaves it on.
 */
export function isSdkDisabled(env: Env): boolean {
  return env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true';
}

/** A variable's value, trimmed; `undefined` when unset or blank (as `@opentelemetry/core` reads it). */
export function stringFromEnv(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** A positive number, else `undefined` (the SDK default), as NodeSDK reads `OTEL_BSP_*`. */
function positiveNumber(env: Env, name: string): number | undefined {
  const raw = stringFromEnv(env, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Batch span processor settings from the `OTEL_BSP_*` variables; unset or invalid ones stay undefined. */
export function batchSettingsFromEnv(env: Env): {
  maxQueueSize: number | undefined;
  maxExportBatchSize: number | undefined;
  scheduledDelayMillis: number | undefined;
  exportTimeoutMillis: number | undefined;
} {
  return {
    maxQueueSize: positiveNumber(env, 'OTEL_BSP_MAX_QUEUE_SIZE'),
    maxExportBatchSize: positiveNumber(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
    scheduledDelayMillis: positiveNumber(env, 'OTEL_BSP_SCHEDULE_DELAY'),
    exportTimeoutMillis: positiveNumber(env, 'OTEL_BSP_EXPORT_TIMEOUT'),
  };
}

/** A comma-separated list variable, trimmed, empty entries dropped, lower-cased. */
export function listFromEnv(env: Env, name: string): string[] | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const items = raw
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item.length > 0);
  return items.length > 0 ? items : undefined;
}
