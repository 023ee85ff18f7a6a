import * as nodeModule from 'node:module';
import type { InstrumentationName } from './instrumentation-names.ts';
import { patchedModules } from './instrumentation-names.ts';

/**
 * Installs the ESM loader hook that lets instrumentations patch modules loaded with `import`
 * (an ESM application's `import express from 'express'` never goes through `require`, which is
 * all `require-in-the-middle` sees).
 *
 * Two speed choices: the hook intercepts ONLY the modules the selected instrumentations patch
 * (`include`), not every file of the application; and on Node versions that can run it, the
 * hook is synchronous and in-thread (`module.registerHooks`, via import-in-the-middle's
 * `register-hooks.mjs`) instead of the off-thread `module.register()` loader, which pays a
 * message round-trip per resolved module. Older Node falls back to
 * `module.register('import-in-the-middle/hook.mjs')` with the same include list
 * (`@opentelemetry/instrumentation/hook.mjs` re-exports exactly that hook).
 */
export async function registerEsmHooks(names: readonly InstrumentationName[]): Promise<void> {
  const include = names.flatMap((name) => patchedModules[name]);
  if (include.length === 0) return;
  const hooks = await import('import-in-the-middle/register-hooks.mjs');
  if (hooks.supportsSyncHooks()) {
    hooks.register({ include });
    return;
  }
  nodeModule.register('import-in-the-middle/hook.mjs', import.meta.url, { data: { include } });
}
