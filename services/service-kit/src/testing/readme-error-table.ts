import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { ErrorEntry } from '../errors/error-catalogue.ts';

/**
 * Rows of a service README's error table, `| \`code\` | status | … |`, as code → status. The
 * services' catalogue tests compare this with the catalogue, so the README cannot drift from it.
 */
export function parseErrorTable(markdown: string): Map<string, number> {
  const rows = new Map<string, number>();
  for (const match of markdown.matchAll(/^\|\s*`([a-z_]+)`\s*\|\s*(\d{3})\s*\|/gm)) {
    rows.set(match[1]!, Number(match[2]));
  }
  return rows;
}

/** {@link parseErrorTable} of the file at `readmeUrl` (UTF-8). */
export function readErrorTable(readmeUrl: URL): Map<string, number> {
  return parseErrorTable(readFileSync(readmeUrl, 'utf8'));
}

/**
 * Asserts that the README at `readmeUrl` documents exactly the codes of `entries`, each with its
 * status: no code missing, none extra, no status different.
 */
export function expectErrorTableMatches(readmeUrl: URL, entries: Readonly<Record<string, ErrorEntry>>): void {
  const documented = readErrorTable(readmeUrl);
  const codes = Object.keys(entries);
  expect([...documented.keys()].sort()).toEqual([...codes].sort());
  for (const code of codes) expect(documented.get(code), code).toBe(entries[code]!.status);
}
