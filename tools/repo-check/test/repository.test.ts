import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph } from '../src/import-cycles.ts';
import { checkRepoLinks } from '../src/link-check.ts';
import { repoFiles, repoRoot } from '../src/repo-files.ts';

const files = repoFiles();

describe('the repository', () => {
  it('has no broken relative link or anchor in its markdown', () => {
    const broken = checkRepoLinks(repoRoot, files).map((b) => `${b.file}:${b.line} ${b.href} (${b.reason})`);
    expect(broken).toEqual([]);
  });

  it('documents itself: no markdown points at a path of a development machine', () => {
    const machinePath = /(?:^|[\s(`'"<])\/(?:work|home|Users)\/[^\s)`'">]*/;
    const found = files
      .filter((file) => file.endsWith('.md'))
      .flatMap((file) =>
        readFileSync(join(repoRoot, file), 'utf8')
          .split('\n')
          .flatMap((line, index) => (machinePath.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [])),
      );
    expect(found).toEqual([]);
  });

  it('has no import cycle in its TypeScript sources, type-only imports included', () => {
    const sources = files.filter((file) => /\.[cm]?ts$/.test(file) && !file.endsWith('.d.ts'));
    expect(sources.length).toBeGreaterThan(100);
    const graph = importGraph(sources, (file) => readFileSync(join(repoRoot, file), 'utf8'));
    expect(importCycles(graph)).toEqual([]);
  });
});
