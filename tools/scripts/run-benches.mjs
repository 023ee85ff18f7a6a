// The one benchmark runner of the repository: `npm run bench` in a workspace runs every
// `*.bench.ts` of that workspace's `bench/` folder (or only those whose name contains the first
// argument: `npm run bench -w @shipshape/resilience -- policies`), each in its own Node process,
// one after another, so that no benchmark shares a heap or JIT state with another. Each writes
// its own table and JSON. Exits with the last non-zero status of a benchmark, 0 when all passed.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(process.cwd(), 'bench');
const only = process.argv[2];
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => !only || name.includes(only))
  .sort();
if (files.length === 0) {
  console.error(`no *.bench.ts in ${dir}${only ? ` matching "${only}"` : ''}`);
  process.exit(1);
}
let status = 0;
for (const file of files) {
  console.log(`\n=== ${file}`);
  const run = spawnSync(process.execPath, ['--expose-gc', join(dir, file)], { stdio: 'inherit' });
  if (run.status !== 0) status = run.status ?? 1;
}
process.exit(status);
