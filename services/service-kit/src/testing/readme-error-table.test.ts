import { describe, expect, it } from 'vitest';
import { expectErrorTableMatches, parseErrorTable } from './readme-error-table.ts';

describe('parseErrorTable', () => {
  it('reads code and status from every table row that starts with a code', () => {
    const markdown = [
      '| code | status | when |',
      '| ---- | ------ | ---- |',
      '| `not_found`   | 404    | unknown id |',
      '|`rate_limited`|429|spent|',
      '| `ignored` | later | not a status |',
      'text mentioning `internal_error` | 500',
    ].join('\n');
    expect([...parseErrorTable(markdown)]).toEqual([
      ['not_found', 404],
      ['rate_limited', 429],
    ]);
  });

  it('finds nothing in a README without a table', () => {
    expect(parseErrorTable('# Title\n\nNo errors here.\n').size).toBe(0);
  });
});

describe('expectErrorTableMatches', () => {
  const readme = new URL('../../test/fixtures/error-table.md', import.meta.url);

  it('passes when the table lists exactly the catalogue codes and statuses', () => {
    expect(() =>
      expectErrorTableMatches(readme, {
        not_found: { status: 404, title: 'x' },
        rate_limited: { status: 429, title: 'x' },
      }),
    ).not.toThrow();
  });

  it('fails on a code missing from the table', () => {
    expect(() =>
      expectErrorTableMatches(readme, {
        not_found: { status: 404, title: 'x' },
        rate_limited: { status: 429, title: 'x' },
        internal_error: { status: 500, title: 'x' },
      }),
    ).toThrow();
  });

  it('fails on a status that differs from the table', () => {
    expect(() =>
      expectErrorTableMatches(readme, {
        not_found: { status: 410, title: 'x' },
        rate_limited: { status: 429, title: 'x' },
      }),
    ).toThrow(/not_found/);
  });
});
