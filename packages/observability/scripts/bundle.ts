// Bundles the compiled package (dist/) into a few files in dist/bundle/, which the package's
// exports point to: the `--import` entry, the barrel and the span export worker, with the SDK,
// pino and the rest inlined and shared between them (one copy of each module: esbuild's code
// splitting). Node then resolves, reads and links a handful of files at start-up instead of
// ≈250 small ES modules: ≈40 ms less from `node` to the first 200 on this project's machine
// (README, "Cost: the benchmark"). Run by `npm run build` after tsc; dist/ stays the unbundled
// output (its .d.ts files are the package's types).
//
// Left external: `@opentelemetry/api` (the application shares it: one global API), and the
// packages only the opt-in express layer spans load (`@opentelemetry/instrumentation*`,
// import-in-the-middle, require-in-the-middle), whose hook files must stay where they are.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
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
