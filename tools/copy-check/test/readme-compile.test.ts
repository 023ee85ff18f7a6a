// Every ```ts block of the packages' READMEs and the root README type-checks against the
// packages (as built: the exports a user imports). A deliberately partial block carries
// `<!-- readme-check: skip (reason) -->` on the line before its fence.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readmeBlocks } from '../src/readme-blocks.ts';
import { repoRoot } from '../src/temp-project.ts';
import { typeCheck, type Snippet } from '../src/type-check.ts';

const readmes = [
  'README.md',
  ...readdirSync(join(repoRoot, 'packages')).map((name) => `packages/${name}/README.md`),
];

describe('README TypeScript blocks', () => {
  it('type-check against the packages, skipped blocks naming their reason', () => {
    const snippets: Snippet[] = [];
    for (const readme of readmes) {
      for (const block of readmeBlocks(readFileSync(join(repoRoot, readme), 'utf8'))) {
        if (block.skip) console.log(`skipped ${readme}:${block.line}: ${block.skip}`);
        else
          snippets.push({
            origin: readme,
            line: block.line,
            code: block.code,
            given: block.given,
            // Blocks of one README share a folder, so `import { schema } from './config.ts'` finds
            // the block that starts with `// config.ts`.
            file: join(
              '.readme-check',
              readme.replace(/\W+/g, '-'),
              block.fileName ?? `line-${block.line}.ts`,
            ),
          });
      }
    }
    expect(snippets.length).toBeGreaterThan(10);
    const errors = typeCheck(snippets, join(repoRoot, 'tools', 'copy-check'));
    const report = errors.map((error) => `${error.origin}:${error.line}: ${error.message}`).join('\n');
    expect(report, 'README blocks that do not compile (file:line: error)').toBe('');
  });
});
