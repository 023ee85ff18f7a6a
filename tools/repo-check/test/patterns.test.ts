import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { scenarios } from '@shipshape/scenarios';
import { describe, expect, it } from 'vitest';
import { cellLinks, panelRef, patternRows, scenarioName } from '../src/pattern-map.ts';
import { repoRoot } from '../src/repo-files.ts';

const rows = patternRows(readFileSync(join(repoRoot, 'docs/patterns.md'), 'utf8'));

/** Panel titles by dashboard title ("Shipshape / Resilience" → titles), nested rows included. */
function dashboardPanels(): Map<string, Set<string>> {
  interface Panel {
    title?: string;
    panels?: Panel[];
  }
  const dir = join(repoRoot, 'infra/grafana/dashboards');
  const byDashboard = new Map<string, Set<string>>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    const dashboard = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { title: string; panels: Panel[] };
    const titles = new Set<string>();
    const walk = (panels: Panel[]) =>
      panels.forEach((panel) => {
        if (panel.title) titles.add(panel.title);
        walk(panel.panels ?? []);
      });
    walk(dashboard.panels);
    byDashboard.set(dashboard.title, titles);
  }
  return byDashboard;
}

describe('docs/patterns.md', () => {
  it('has one row for each pattern of the reference chapter', () => {
    const expected = [
      /externalized configuration/i,
      /service client/i,
      /load balancing/i,
      /mutual tls/i,
      /tracing/i,
      /^metrics/i,
      /logs/i,
      /circuit breaker/i,
      /retry with backoff/i,
      /rate limiting/i,
      /probes/i,
      /graceful shutdown/i,
      /rolling.*blue-green.*canary/i,
      /dead-letter queue/i,
      /bulkhead and timeout/i,
      /connection pooling/i,
      /idempotency/i,
    ];
    expect(rows.map((row) => row.pattern)).toHaveLength(expected.length);
    expected.forEach((pattern, index) => expect(rows[index]!.pattern).toMatch(pattern));
  });

  it('links code and a test for every pattern, and every linked path exists', () => {
    for (const row of rows) {
      for (const cell of [row.code, row.test]) {
        const links = cellLinks(cell);
        expect(links.length, `${row.pattern}: ${cell}`).toBeGreaterThan(0);
        for (const href of [...links, ...cellLinks(row.knob)]) {
          expect(existsSync(join(repoRoot, posix.join('docs', href))), `line ${row.line}: ${href}`).toBe(
            true,
          );
        }
      }
      for (const href of cellLinks(row.test)) expect(href, row.pattern).toMatch(/\.test\.ts$/);
    }
  });

  it('names panels that exist on their dashboard', () => {
    const panels = dashboardPanels();
    const named = rows.flatMap((row) => {
      const ref = panelRef(row.panel);
      return ref ? [ref] : [];
    });
    expect(named.length).toBeGreaterThan(10);
    for (const { dashboard, panel } of named) {
      const titles = panels.get(`Shipshape / ${dashboard}`);
      expect(titles, `dashboard ${dashboard}`).toBeDefined();
      expect([...titles!], `${dashboard} › ${panel}`).toContain(panel);
    }
  });

  it('names scenarios the scenario CLI runs', () => {
    const named = rows.map((row) => scenarioName(row.scenario)).filter((name) => name !== undefined);
    expect(named.length).toBeGreaterThan(10);
    for (const name of named) expect(Object.keys(scenarios), name).toContain(name);
  });

  it('is linked from the root README', () => {
    expect(readFileSync(join(repoRoot, 'README.md'), 'utf8')).toContain('(docs/patterns.md)');
  });
});

describe('patternRows', () => {
  it('reads the cells of each row and refuses a row with a wrong cell count', () => {
    const table =
      '| p | c | t | d | s | k |\n| - | - | - | - | - | - |\n| a | b | c | Overview › X (n) | `s` | k |\n';
    expect(patternRows(table)).toEqual([
      { line: 3, pattern: 'a', code: 'b', test: 'c', panel: 'Overview › X (n)', scenario: '`s`', knob: 'k' },
    ]);
    expect(panelRef('Overview › X (n)')).toEqual({ dashboard: 'Overview', panel: 'X' });
    expect(panelRef('— none')).toBeUndefined();
    expect(() => patternRows(`${table}| too | few |\n`)).toThrow(/2 cells/);
  });
});
