// `npm test`: builds what the tests need and runs every workspace's tests through turbo, then
// prints one closing line summed over all vitest JSON reports ("tests: N passed, N failed").
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
// The same globs as the root package.json "workspaces".
const workspaceDirs = [
  ...['tools', 'packages', 'services'].flatMap((group) => {
    const dir = join(root, group);
    return existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : [];
  }),
  join(root, 'infra'),
];
const reportOf = (dir) => join(dir, '.test-results', 'vitest.json');
for (const dir of workspaceDirs) rmSync(reportOf(dir), { force: true });

const args = ['turbo', 'run', 'test', '--concurrency=1', ...process.argv.slice(2)];
const run = spawnSync('npx', args, {
  cwd: root,
  stdio: 'inherit',
  env: { TURBO_TELEMETRY_DISABLED: '1', ...process.env },
});

let passed = 0;
let failed = 0;
let skipped = 0;
let files = 0;
for (const dir of workspaceDirs) {
  if (!existsSync(reportOf(dir))) continue;
  const report = JSON.parse(readFileSync(reportOf(dir), 'utf8'));
  files += report.numTotalTestSuites ?? 0;
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}
const status = run.status ?? 1;
if (status !== 0 && failed === 0) failed = 1; // a crash or failed build counts as a failure
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(passed === 0 && status === 0 ? 1 : status);
