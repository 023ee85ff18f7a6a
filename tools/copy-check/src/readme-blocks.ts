// The ```ts blocks of a Markdown file, with their line numbers and check markers.

/** One fenced TypeScript block. */
export interface ReadmeBlock {
  /** 1-based line of the block's first code line in the Markdown file. */
  readonly line: number;
  readonly code: string;
  /** The file name the block names on its first line (`// config.ts`), if any. */
  readonly fileName: string | undefined;
  /** Declarations the block assumes, from `<!-- readme-check: given … -->` before it. */
  readonly given: string;
  /** Why the block is not type-checked, from `<!-- readme-check: skip (reason) -->` before it. */
  readonly skip: string | undefined;
}

const fence = /^```(\w*)\s*$/;
const skipMarker = /^<!--\s*readme-check:\s*skip\s*\((.+)\)\s*-->\s*$/;
const givenOpen = '<!-- readme-check: given\n';
const fileComment = /^\/\/\s*([\w./-]+\.ts)\b/;

/**
 * Every ```ts / ```typescript block of `markdown`. A marker counts when only blank lines stand
 * between it and the fence. `given` declares what a partial block takes from its surroundings
 * (`declare const redis: Redis;`): invisible in the rendered README, checked like the block.
 */
export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const lines = markdown.split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = fence.exec(lines[i] ?? '');
    if (!open) continue;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end] ?? '')) end += 1;
    if (open[1] === 'ts' || open[1] === 'typescript') {
      const before = lines.slice(0, i).join('\n').trimEnd();
      const code = lines.slice(i + 1, end).join('\n');
      blocks.push({
        line: i + 2,
        code,
        fileName: fileComment.exec(code)?.[1],
        given:
          before.endsWith('-->') && before.includes(givenOpen)
            ? before.slice(before.lastIndexOf(givenOpen) + givenOpen.length, -3)
            : '',
        skip: skipMarker.exec(before.slice(before.lastIndexOf('\n') + 1))?.[1],
      });
    }
    i = end;
  }
  return blocks;
}
