// The packages are the copyable units: none may depend on this services-only kit.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const packagesDir = fileURLToPath(new URL('../../../packages/', import.meta.url));
const skipped = new Set(['node_modules', 'dist', '.turbo', '.test-results', 'results']);

/** Every file under `dir` whose name ends in `.ts` or is `package.json`, skipping build output. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return skipped.has(entry.name) ? [] : sources(path);
    return entry.name.endsWith('.ts') || entry.name === 'package.json' ? [path] : [];
  });
}

it('is neither imported nor depended on by any packages/* workspace', () => {
  const files = sources(packagesDir);
  expect(files.length).toBeGreaterThan(50);
  const offenders = files.filter((file) => readFileSync(file, 'utf8').includes('@shipshape/service-kit'));
  expect(offenders).toEqual([]);
});
