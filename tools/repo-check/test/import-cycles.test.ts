import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, relativeImports } from '../src/import-cycles.ts';

describe('relativeImports', () => {
  it('finds imports, type imports, re-exports, side-effect and dynamic imports; not comments or packages', () => {
    const source = [
      "import { a } from './a.ts';",
      "import type { B } from '../b.ts';",
      'import {',
      '  c,',
      "} from './c.ts';",
      "export * from './d.ts';",
      "import './e.ts';",
      "const f = await import('./f.ts');",
      "// import { g } from './g.ts';",
      "import express from 'express';",
    ].join('\n');
    expect(relativeImports(source)).toEqual(['./a.ts', '../b.ts', './c.ts', './d.ts', './e.ts', './f.ts']);
  });
});

describe('importCycles', () => {
  const sources: Record<string, string> = {
    'src/a.ts': "import { b } from './b.ts';",
    'src/b.ts': "import type { C } from './c/index.js';",
    'src/c/index.ts': "import { a } from '../a.ts';",
    'src/d.ts': "import { a } from './a.ts';",
    'src/e.ts': "export { e } from './e.ts';",
  };
  it('finds each cycle, type-only edges included, and no file outside one', () => {
    const graph = importGraph(Object.keys(sources), (file) => sources[file]!);
    expect(importCycles(graph)).toEqual([['src/a.ts', 'src/b.ts', 'src/c/index.ts'], ['src/e.ts']]);
  });
  it('finds none in a tree', () => {
    expect(
      importCycles(
        new Map([
          ['a', ['b', 'c']],
          ['b', ['c']],
          ['c', []],
        ]),
      ),
    ).toEqual([]);
  });
});
