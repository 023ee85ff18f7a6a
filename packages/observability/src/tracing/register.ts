/**
 * The `--import` entry: `node --import @shipshape/observability/register dist/main.js`.
 *
 * It runs before the application's first module, so the loader hook and the instrumentations
 * are in place when express, ioredis and `node:http` are loaded. With `OTEL_SDK_DISABLED=true`
 * it returns before importing anything beyond `node:process` and `node:module`: no SDK, no hook.
 *
 * Everything is configured by the standard `OTEL_*` variables (`OTEL_SERVICE_NAME`,
 * `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_TRACES_SAMPLER[_ARG]`, `OTEL_BSP_*`,
 * `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_NODE_[EN|DIS]ABLED_INSTRUMENTATIONS`). The running SDK is
 * reachable from the application through `shutdownTracing()` / `getTracing()`.
 */
import { enableCompileCache } from 'node:module';
import process from 'node:process';

if (process.env['OTEL_SDK_DISABLED']?.trim().toLowerCase() !== 'true') {
  // The SDK is ~150 small ES modules; compiling them is most of its start-up cost. Node's
  // on-disk compile cache (in os.tmpdir(), or NODE_COMPILE_CACHE; off with
  // NODE_DISABLE_COMPILE_CACHE=1) keeps their compiled code across starts. It then also serves
  // the application's modules. An unwritable directory only means no cache.
  enableCompileCache();
  const [{ registerEsmHooks }, { activeInstrumentations }, { startTracing }] = await Promise.all([
    import('./esm-hooks.ts'),
    import('./create-instrumentations.ts'),
    import('./start-tracing.ts'),
  ]);
  // The SDK and the instrumentations load first, so their own modules do not pass through the
  // loader hook; the hook is in place before the application's first import all the same.
  await startTracing();
  await registerEsmHooks(activeInstrumentations());
}
