// The package copied alone, with only the dependencies its package.json declares (plus the
// TypeScript types it is compiled with), compiles with its own tsconfig and every export loads:
// the promise of "copy the package into your service" (README, Copying the package).
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  exports: Record<string, unknown>;
};

/** The installed directory of `name`, found as Node's resolver looks for it: up the folders. */
function installed(name: string): string {
  for (let dir = packageDir; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
  }
  throw new Error(`${name} is not installed`);
}

describe('the package copied alone', () => {
  let copy: string;

  beforeAll(async () => {
    copy = mkdtempSync(join(tmpdir(), 'observability-copy-'));
    for (const entry of ['package.json', 'tsconfig.build.json', 'src']) {
      cpSync(join(packageDir, entry), join(copy, entry), { recursive: true });
    }
    // The shared base config, inlined: a copy has no @shipshape/tsconfig.
    cpSync(require.resolve('@shipshape/tsconfig/base.json'), join(copy, 'base.json'));
    const tsconfig = readFileSync(join(packageDir, 'tsconfig.json'), 'utf8');
    writeFileSync(
      join(copy, 'tsconfig.json'),
      tsconfig.replace('@shipshape/tsconfig/base.json', './base.json'),
    );
    for (const name of [
      ...Object.keys(manifest.dependencies),
      '@types/node',
      '@types/express',
      'typescript',
    ]) {
      mkdirSync(dirname(join(copy, 'node_modules', name)), { recursive: true });
      symlinkSync(installed(name), join(copy, 'node_modules', name), 'dir');
    }
    await run(
      process.execPath,
      [join(copy, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: copy,
      },
    );
  }, 120_000);

  afterAll(() => {
    rmSync(copy, { recursive: true, force: true });
  });

  it.each(Object.keys(manifest.exports).filter((subpath) => subpath !== './register'))(
    'loads %s with its declared dependencies only',
    async (subpath) => {
      const specifier = `@shipshape/observability${subpath.slice(1)}`;
      const { stdout } = await run(
        process.execPath,
        ['--input-type=module', '-e', `console.log(Object.keys(await import('${specifier}')).length)`],
        { cwd: copy },
      );
      expect(Number(stdout.trim())).toBeGreaterThan(0);
    },
  );

  it('starts tracing through its register entry', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        '@shipshape/observability/register',
        '--input-type=module',
        '-e',
        "const t = await import('@shipshape/observability/tracing'); console.log(t.getTracing()?.enabled); await t.shutdownTracing();",
      ],
      { cwd: copy, env: { PATH: process.env['PATH'] ?? '', OTEL_TRACES_EXPORTER: 'none' } },
    );
    expect(stdout.trim()).toBe('true');
  });
});
