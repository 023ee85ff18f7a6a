/** A link written in a markdown file: its target as written and the line it is on (1-based). */
export interface MarkdownLink {
  readonly href: string;
  readonly line: number;
}

const fence = /^\s{0,3}(`{3,}|~{3,})/;

/**
 * The lines of a markdown document with fenced code blocks blanked out (so links and headings
 * inside code are not read), keeping line numbers.
 */
export function proseLines(markdown: string): string[] {
  const lines = markdown.split('\n');
  let open: string | undefined;
  return lines.map((line) => {
    const marker = fence.exec(line)?.[1];
    if (open !== undefined) {
      if (marker !== undefined && marker[0] === open[0] && marker.length >= open.length) open = undefined;
      return '';
    }
    if (marker !== undefined) {
      open = marker;
      return '';
    }
    return line;
  });
}

/** Removes inline code spans, so `[a](b)` written as code is not read as a link. */
function withoutCodeSpans(line: string): string {
  return line.replace(/(`+)[^`]*?\1/g, '');
}

/** Every inline link `[text](href)`, image `![alt](src)` and reference definition `[id]: href`. */
export function markdownLinks(markdown: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  proseLines(markdown).forEach((raw, index) => {
    const line = withoutCodeSpans(raw);
    for (const match of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      links.push({ href: match[1]!, line: index + 1 });
    }
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/.exec(line);
    if (definition) links.push({ href: definition[1]!, line: index + 1 });
    for (const match of line.matchAll(/<a\s[^>]*href="([^"]+)"/g)) {
      links.push({ href: match[1]!, line: index + 1 });
    }
  });
  return links;
}

/** The text a heading shows: inline markup removed, link text kept, as GitHub renders it. */
function headingText(source: string): string {
  return source
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
    .replace(/<[^>]+>/g, '') // inline HTML tags
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__|\*|_|~~)(?=\S)([^]*?\S)\1/g, '$2');
}

/**
 * GitHub's anchor for a heading text (the rule of github-slugger): lower case; every character
 * that is not a letter, mark, number, connector punctuation, hyphen or space is removed; each
 * space becomes a hyphen.
 */
export function githubSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/**
 * Every anchor a markdown document defines: one per ATX or setext heading, numbered `-1`, `-2`
 * … when a slug repeats (as GitHub does), plus explicit `<a id>` / `<a name>` targets.
 */
export function markdownAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const add = (text: string) => {
    const slug = githubSlug(headingText(text.trim()));
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  };
  const lines = proseLines(markdown);
  lines.forEach((line, index) => {
    const atx = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (atx) add(atx[1]!);
    else if (
      /^\s{0,3}(=+|-+)\s*$/.test(line) &&
      index > 0 &&
      /\S/.test(lines[index - 1]!) &&
      !/^\s*[|-]/.test(lines[index - 1]!)
    ) {
      add(lines[index - 1]!);
    }
    for (const match of line.matchAll(/<a\s[^>]*(?:id|name)="([^"]+)"/g)) anchors.add(match[1]!);
  });
  return anchors;
}
