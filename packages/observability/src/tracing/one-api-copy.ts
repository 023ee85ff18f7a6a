import { registerHooks } from 'node:module';

const apiSpecifier = '@opentelemetry/api';

/**
 * Makes prom-client's `require('@opentelemetry/api')` (its default metrics read the active span
 * for exemplars) resolve to the API's ES build, the one this package and the SDK import,
 * instead of its CommonJS build: without it, an application that is an ES module loads both,
 * a second copy of 51 files at start-up (≈ 10 ms of CPU here). Node then hands the `require`
 * the ES module already loaded (`require()` of an ES module, Node ≥ 22.12).
 *
 * A resolve hook through Node's public `module.registerHooks`, for that one specifier required
 * from prom-client's own files; every other resolution is passed on unchanged. Called by the
 * `register` entry before the application loads.
 */
export function shareApiWithPromClient(): void {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (
        specifier !== apiSpecifier ||
        context.conditions?.includes('require') !== true ||
        context.parentURL?.includes('/node_modules/prom-client/') !== true
      ) {
        return nextResolve(specifier, context);
      }
      return nextResolve(specifier, {
        ...context,
        conditions: context.conditions.map((condition) => (condition === 'require' ? 'import' : condition)),
      });
    },
  });
}
