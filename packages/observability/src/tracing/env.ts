/** An environment to read `OTEL_*` variables from (normally `process.env`). */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Whether `OTEL_SDK_DISABLED` switches the SDK off. The specification treats only the
 * case-insensitive value `true` as disabling; anything else (including `1`) leaves it on.
 */
export function isSdkDisabled(env: Env): boolean {
  return env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true';
}

function readNonNegative(env: Env, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Batch span processor settings from the `OTEL_BSP_*` variables; unset ones stay undefined. */
export function batchSettingsFromEnv(env: Env): {
  maxQueueSize: number | undefined;
  maxExportBatchSize: number | undefined;
  scheduledDelayMillis: number | undefined;
  exportTimeoutMillis: number | undefined;
} {
  return {
    maxQueueSize: readNonNegative(env, 'OTEL_BSP_MAX_QUEUE_SIZE'),
    maxExportBatchSize: readNonNegative(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
    scheduledDelayMillis: readNonNegative(env, 'OTEL_BSP_SCHEDULE_DELAY'),
    exportTimeoutMillis: readNonNegative(env, 'OTEL_BSP_EXPORT_TIMEOUT'),
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

/**
 * Where the default OTLP exporter runs: `worker` (default), a worker thread fed by
 * `WorkerSpanProcessor`; `main`, the SDK's `BatchSpanProcessor` on the application thread.
 * From the `exportThread` option, else `SHIPSHAPE_OTEL_EXPORT_THREAD`.
 */
export function exportThread(options: { exportThread?: 'worker' | 'main' }, env: Env): 'worker' | 'main' {
  if (options.exportThread !== undefined) return options.exportThread;
  return env['SHIPSHAPE_OTEL_EXPORT_THREAD']?.trim().toLowerCase() === 'main' ? 'main' : 'worker';
}
