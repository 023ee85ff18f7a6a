import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCatalogue, errorCodes, problem } from './errors.ts';

/** Rows of the README's error table: `| \`code\` | status | title |`. */
function documentedCodes(): Map<string, number> {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const rows = new Map<string, number>();
  for (const match of readme.matchAll(/^\|\s*`([a-z_]+)`\s*\|\s*(\d{3})\s*\|/gm)) {
    rows.set(match[1]!, Number(match[2]));
  }
  return rows;
}

describe('error catalogue', () => {
  it('documents every code with its status in the README table, and nothing else', () => {
    const documented = documentedCodes();
    expect([...documented.keys()].sort()).toEqual([...errorCodes].sort());
    for (const code of errorCodes) expect(documented.get(code), code).toBe(errorCatalogue[code].status);
  });

  it('answers 4xx or 5xx for every code', () => {
    for (const code of errorCodes) expect(errorCatalogue[code].status).toBeGreaterThanOrEqual(400);
  });

  it('builds an RFC 9457 problem with a type URI per code', () => {
    expect(problem('unknown_user', 'no user u-1', [{ path: 'userId', message: 'unknown' }])).toEqual({
      type: 'https://shipshape.dev/problems/unknown_user',
      title: 'Unknown user',
      status: 422,
      detail: 'no user u-1',
      code: 'unknown_user',
      errors: [{ path: 'userId', message: 'unknown' }],
    });
  });

  it('omits errors when there are none', () => {
    expect(problem('not_found', 'no such order')).not.toHaveProperty('errors');
  });
});
