import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is tools/repo-check/src/repo-files.ts). */
export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * The repository's files as root-relative paths: tracked ones plus untracked ones that
 * .gitignore does not exclude (so a new file is checked before its first commit), without
 * tracked files deleted from the work tree.
 */
export function repoFiles(root: string = repoRoot): string[] {
  const list = (...args: string[]) =>
    execFileSync('git', ['ls-files', '-z', ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 })
      .split('\0')
      .filter((path) => path !== '');
  const deleted = new Set(list('--deleted'));
  return [...new Set(list('--cached', '--others', '--exclude-standard'))]
    .filter((path) => !deleted.has(path))
    .sort();
}
