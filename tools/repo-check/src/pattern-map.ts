import { markdownLinks, proseLines } from './markdown.ts';

/** One row of `docs/patterns.md`, its cells as written. */
export interface PatternRow {
  readonly line: number;
  readonly pattern: string;
  readonly code: string;
  readonly test: string;
  readonly panel: string;
  readonly scenario: string;
  readonly knob: string;
}

const columns = ['pattern', 'code', 'test', 'panel', 'scenario', 'knob'] as const;

/** The rows of the first table of the pattern map (header and separator skipped). */
export function patternRows(markdown: string): PatternRow[] {
  const rows: PatternRow[] = [];
  let seenHeader = false;
  proseLines(markdown).forEach((line, index) => {
    if (!line.startsWith('|')) return;
    if (!seenHeader) {
      seenHeader = true;
      return;
    }
    if (/^\|[\s|:-]+\|$/.test(line)) return;
    const cells = line
      .slice(1, line.endsWith('|') ? -1 : undefined)
      .split('|')
      .map((cell) => cell.trim());
    if (cells.length !== columns.length) {
      throw new Error(`line ${index + 1}: ${cells.length} cells, expected ${columns.length}`);
    }
    const [pattern, code, test, panel, scenario, knob] = cells as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    rows.push({ line: index + 1, pattern, code, test, panel, scenario, knob });
  });
  return rows;
}

/** The link targets of a cell. */
export function cellLinks(cell: string): string[] {
  return markdownLinks(cell).map((link) => link.href);
}

/** `Dashboard › Panel title (a note)` read as `{ dashboard, panel }`; `undefined` for a dash. */
export function panelRef(cell: string): { dashboard: string; panel: string } | undefined {
  if (cell.startsWith('—')) return undefined;
  const match = /^([^›]+?) › (.+?)(?: \(.*\))?$/.exec(cell);
  if (!match) throw new Error(`not "Dashboard › Panel": ${cell}`);
  return { dashboard: match[1]!, panel: match[2]! };
}

/** The scenario a cell names (its first code span); `undefined` for a dash. */
export function scenarioName(cell: string): string | undefined {
  if (cell.startsWith('—')) return undefined;
  const match = /^`([^`]+)`/.exec(cell);
  if (!match) throw new Error(`not a scenario name in backticks: ${cell}`);
  return match[1]!;
}
