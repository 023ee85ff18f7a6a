import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { markdownAnchors, markdownLinks } from './markdown.ts';

/** A relative link in a markdown file whose target file or anchor does not exist. */
export interface BrokenLink {
  /** The markdown file, relative to the repository root. */
  readonly file: string;
  readonly line: number;
  readonly href: string;
  readonly reason: 'no such file' | 'no such anchor';
}

const external = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

/**
 * Checks every relative link and anchor of the given markdown files offline. `files` is every
 * file of the repository (root-relative, `/`-separated); a link may point at one of them or at
 * a folder holding one. Links with a scheme (`https:`, `mailto:`) are not checked; anchors
 * into markdown files must match a heading's GitHub slug; anchors into other files
 * (`#L10`) are not checked.
 */
export function checkLinks(
  markdownFiles: readonly string[],
  files: readonly string[],
  read: (file: string) => string,
): BrokenLink[] {
  const existing = new Set(files);
  const folders = new Set(files.flatMap((file) => ancestors(file)));
  const anchorCache = new Map<string, Set<string>>();
  const anchorsOf = (file: string) => {
    let anchors = anchorCache.get(file);
    if (!anchors) anchorCache.set(file, (anchors = markdownAnchors(read(file))));
    return anchors;
  };
  const broken: BrokenLink[] = [];
  for (const file of markdownFiles) {
    for (const { href, line } of markdownLinks(read(file))) {
      if (external.test(href)) continue;
      const hash = href.indexOf('#');
      const pathPart = decodeURI(hash === -1 ? href : href.slice(0, hash));
      const anchor = hash === -1 ? undefined : decodeURIComponent(href.slice(hash + 1));
      const target =
        pathPart === ''
          ? file
          : posix
              .normalize(
                pathPart.startsWith('/') ? pathPart.slice(1) : posix.join(posix.dirname(file), pathPart),
              )
              .replace(/\/$/, '');
      if (!existing.has(target) && !folders.has(target)) {
        broken.push({ file, line, href, reason: 'no such file' });
        continue;
      }
      if (anchor === undefined || anchor === '' || !target.endsWith('.md') || !existing.has(target)) continue;
      if (!anchorsOf(target).has(anchor.toLowerCase()))
        broken.push({ file, line, href, reason: 'no such anchor' });
    }
  }
  return broken;
}

function ancestors(file: string): string[] {
  const parts = file.split('/');
  return parts.slice(1).map((_, index) => parts.slice(0, index + 1).join('/'));
}

/** {@link checkLinks} over the files on disk under `root`. */
export function checkRepoLinks(root: string, files: readonly string[]): BrokenLink[] {
  return checkLinks(
    files.filter((file) => file.endsWith('.md')),
    files,
    (file) => readFileSync(posix.join(root, file), 'utf8'),
  );
}
