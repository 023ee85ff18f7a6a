import { describe, expect, it } from 'vitest';
import { checkLinks } from '../src/link-check.ts';
import { githubSlug, markdownAnchors, markdownLinks } from '../src/markdown.ts';

describe('githubSlug', () => {
  it('lower-cases, drops punctuation but hyphens and underscores, and turns spaces into hyphens', () => {
    expect(githubSlug('Service client (@shipshape/resilience/http)')).toBe(
      'service-client-shipshaperesiliencehttp',
    );
    expect(githubSlug('Security: TLS, mutual TLS, caller rules, admin token')).toBe(
      'security-tls-mutual-tls-caller-rules-admin-token',
    );
    expect(githubSlug('startTracing(options?)')).toBe('starttracingoptions');
    expect(githubSlug('snake_case and  two spaces')).toBe('snake_case-and--two-spaces');
    expect(githubSlug('Überblick ✓ 2×')).toBe('überblick--2');
  });
});

describe('markdownAnchors', () => {
  it('has one anchor per heading, inline markup removed, repeats numbered, code blocks ignored', () => {
    const markdown = [
      '# `@shipshape/config`',
      '## Events',
      '### Events',
      '```sh',
      '# not a heading',
      '```',
      '## The [service kit](x.md) **bold**',
      'Setext heading',
      '---',
      '<a id="custom"></a>',
    ].join('\n');
    expect([...markdownAnchors(markdown)]).toEqual([
      'shipshapeconfig',
      'events',
      'events-1',
      'the-service-kit-bold',
      'setext-heading',
      'custom',
    ]);
  });
});

describe('markdownLinks', () => {
  it('reads inline links, images and definitions, not links in code', () => {
    const markdown = [
      'See [a](docs/a.md#x) and ![img](img.png "title"), not `[b](b.md)`.',
      '```md',
      '[c](c.md)',
      '```',
      '[ref]: ./ref.md',
    ].join('\n');
    expect(markdownLinks(markdown)).toEqual([
      { href: 'docs/a.md#x', line: 1 },
      { href: 'img.png', line: 1 },
      { href: './ref.md', line: 5 },
    ]);
  });
});

describe('checkLinks', () => {
  const files: Record<string, string> = {
    'README.md':
      '# Top\n\n[ok](docs/guide.md#usage) [folder](docs) [self](#top) [ext](https://example.com/x)\n',
    'docs/guide.md':
      '## Usage\n\n[up](../README.md#top) [gone](../missing.md) [bad](#nope) [code](../src/a.ts#L3)\n',
    'src/a.ts': '',
  };
  it('reports missing files and anchors, with file and line, and nothing else', () => {
    const broken = checkLinks(['README.md', 'docs/guide.md'], Object.keys(files), (file) => files[file]!);
    expect(broken).toEqual([
      { file: 'docs/guide.md', line: 3, href: '../missing.md', reason: 'no such file' },
      { file: 'docs/guide.md', line: 3, href: '#nope', reason: 'no such anchor' },
    ]);
  });
});
