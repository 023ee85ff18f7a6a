import { spawnSync } from 'node:child_process';

const reported = new Set<string>();

/** True when `tool` can be executed from PATH (it answers `--version` or `version`). */
export function toolAvailable(tool: string): boolean {
  const result = spawnSync(tool, ['--version'], { stdio: 'ignore', timeout: 15_000 });
  return !(result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT');
}

/**
 * Decides whether tests that need an external tool (promtool, prometheus, docker-compose,
 * kubectl) are skipped. The contract promises that `npm test` needs only Node and a
 * redis-server binary, so on a developer machine without the tool those tests are skipped with
 * a printed reason and install hint. In CI (`CI` set) they are never skipped: CI installs the
 * tools, and a missing one must fail the run, not silently shrink it.
 * @param tool the executable name
 * @param installHint how to install it, printed with the skip
 * @returns true when the tests must be skipped
 */
export function skipWithoutTool(
  tool: string,
  installHint: string,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env.CI || toolAvailable(tool)) return false;
  if (!reported.has(tool)) {
    reported.add(tool);
    console.warn(
      `[test-harness] skipping the tests that need ${tool}: it is not installed (${installHint}). CI installs it and runs them.`,
    );
  }
  return true;
}
