// Bundles the compiled package (dist/) into a few files in dist/bundle/, which the package's
// exports point to: the `--import` entry, the barrel and the span export worker, with the SDK,
// pino and prom-client inlined and shared between them (one copy of each module: esbuild's
// code splitting). Node then resolves, reads and links a handful of files at
// start-up instead of ≈300 small modules: ≈50 ms less from `node` to the first 200 on this
// project's machine (README, "Cost: the benchmark"). Run by `npm run build` after tsc; dist/
// stays the unbundled output (its .d.ts files are the package's types).
//
// Left external: `@opentelemetry/api`, which must be ONE module instance per process: a tracer
// taken from a second copy before the SDK starts (libraries do that at load time) stays a
// no-op, because each copy's proxy provider only gets a delegate in the copy that registered
// it (the order service's trace test caught exactly that). Also external: the packages only
// the opt-in express layer spans load (`@opentelemetry/instrumentation*`, import-in-the-middle,
// require-in-the-middle), whose hook files must stay where they are.
import { readFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { build } from 'esbuild';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

// src/metrics/prom-client.ts loads five prom-client files with a `require` made by
// `createRequire` (prom-client's index loads its Pushgateway and cluster code too): opaque to
// esbuild, they stayed ≈20 files for Node's CommonJS loader at start-up. Without that local
// `require`, esbuild sees plain `require()` calls and bundles the same five files.
const bundlePromClientFiles: Plugin = {
  name: 'bundle-prom-client-files',
  setup(build) {
    build.onLoad({ filter: /[\\/]dist[\\/]metrics[\\/]prom-client\.js$/ }, async (args) => ({
      contents: (await readFile(args.path, 'utf8')).replace(
        /^const require = createRequire\(import\.meta\.url\);$/m,
        '',
      ),
      loader: 'js',
    }));
  },
};

// prom-client `require()`s `@opentelemetry/api`, which would load the API's CommonJS build (a
// second module instance, ≈25 files) beside the ES build everything else imports. Such a
// `require` gets a one-line module re-exporting the (external) ES build instead.
const oneApiCopy: Plugin = {
  name: 'one-opentelemetry-api-copy',
  setup(build) {
    build.onResolve({ filter: /^@opentelemetry\/api$/ }, (args) =>
      args.kind === 'require-call' ? { path: 'api', namespace: 'esm-api' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'esm-api' }, () => ({
      contents: "export * from '@opentelemetry/api';",
      resolveDir: packageDir,
      loader: 'js',
    }));
  },
};

rmSync(`${packageDir}dist/bundle`, { recursive: true, force: true });
await build({
  absWorkingDir: packageDir,
  entryPoints: {
    index: 'dist/index.js',
    register: 'dist/tracing/register.js',
    // Next to the chunks that start it: WorkerSpanProcessor looks for ./span-export-worker.js.
    'span-export-worker': 'dist/tracing/worker-export/span-export-worker.js',
  },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  sourcemap: true,
  plugins: [bundlePromClientFiles, oneApiCopy],
  external: [
    '@opentelemetry/api',
    '@opentelemetry/instrumentation',
    '@opentelemetry/instrumentation-express',
    'import-in-the-middle',
    'import-in-the-middle/*',
    'require-in-the-middle',
  ],
  // The CommonJS dependencies (pino, prom-client's helpers) call `require` for Node's own
  // modules; an ES module has none, so each output file gets one.
  banner: {
    js: "import { createRequire as __bundleRequire } from 'node:module';\nconst require = __bundleRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
