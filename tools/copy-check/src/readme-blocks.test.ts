import { describe, expect, it } from 'vitest';
import { readmeBlocks } from './readme-blocks.ts';

const markdown = [
  '# Title', // 1
  '```ts', // 2
  '// config.ts', // 3
  'export const a = 1;', // 4
  '```', // 5
  '<!-- readme-check: skip (pseudo-code) -->', // 6
  '', // 7
  '```ts', // 8
  'foo(…);', // 9
  '```', // 10
  '<!-- readme-check: given', // 11
  'declare const redis: unknown;', // 12
  '-->', // 13
  '```typescript', // 14
  'redis;', // 15
  '```', // 16
  '```sh', // 17
  'npm test', // 18
  '```', // 19
  '```ts', // 20
  'plain;', // 21
  '```', // 22
].join('\n');

describe('readmeBlocks', () => {
  it('returns the ts blocks with the line of their first code line', () => {
    expect(readmeBlocks(markdown).map((block) => [block.line, block.code])).toEqual([
      [3, '// config.ts\nexport const a = 1;'],
      [9, 'foo(…);'],
      [15, 'redis;'],
      [21, 'plain;'],
    ]);
  });

  it('reads the skip reason, the given declarations and the file name, each for its own block only', () => {
    const [named, skipped, given, plain] = readmeBlocks(markdown);
    expect(named).toMatchObject({ fileName: 'config.ts', skip: undefined, given: '' });
    expect(skipped).toMatchObject({ fileName: undefined, skip: 'pseudo-code', given: '' });
    expect(given).toMatchObject({ skip: undefined, given: 'declare const redis: unknown;\n' });
    expect(plain).toMatchObject({ skip: undefined, given: '' });
  });
});
