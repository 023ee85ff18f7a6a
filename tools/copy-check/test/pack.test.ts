// `npm pack` as the second route: each package packs (prepack builds it), the three tarballs
// install into a fresh project with their peers, every `exports` entry loads from the installed
// copy, and each README's first example
// (the first block that needs nothing `given` and imports a value from the package) runs there
// with Node's type stripping.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeBlocks } from '../src/readme-blocks.ts';
import { npmQuiet, repoRoot, tempProject, type TempProject } from '../src/temp-project.ts';

const names = ['config', 'resilience', 'observability'] as const;

interface Manifest {
  exports: Record<string, { types: string; default: string }>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
interface Packed {
  filename: string;
  files: { path: string }[];
}

const manifestOf = (name: string): Manifest =>
  JSON.parse(readFileSync(join(repoRoot, 'packages', name, 'package.json'), 'utf8')) as Manifest;

/** The first README block that needs nothing given and imports a value from the package. */
function firstExample(name: string): { line: number; code: string } {
  const readme = readFileSync(join(repoRoot, 'packages', name, 'README.md'), 'utf8');
  const block = readmeBlocks(readme).find(
    (candidate) =>
      !candidate.given &&
      !candidate.skip &&
      new RegExp(`^import \\{[^}]*\\} from '@shipshape/${name}`, 'm').test(candidate.code),
  );
  if (!block) throw new Error(`packages/${name}/README.md has no runnable example`);
  return block;
}

/** Bare imports of `code` other than node: built-ins and @shipshape packages. */
const npmImports = (code: string): string[] =>
  [...code.matchAll(/from '((?:@[\w.-]+\/)?[\w.-]+)[^']*'/g)]
    .map((match) => match[1] ?? '')
    .filter((specifier) => !specifier.startsWith('node:') && !specifier.startsWith('@shipshape/'));

describe('npm pack', () => {
  let project: TempProject;
  const packed = new Map<string, Packed>();

  beforeAll(async () => {
    project = tempProject('pack');
    for (const name of names) {
      const output = await project.run(
        'npm',
        ['pack', '--json', '--pack-destination', project.dir],
        {},
        join(repoRoot, 'packages', name),
      );
      // stdout: the prepack build's lines, then the JSON array; stderr (npm notices) after it
      const json = output.slice(output.indexOf('[\n'), output.indexOf('\n]', output.indexOf('[\n')) + 2);
      const [result] = JSON.parse(json) as Packed[];
      if (result) packed.set(name, result);
    }
    const extras = new Set<string>();
    for (const name of names) {
      const manifest = manifestOf(name);
      const ranges = { ...manifest.devDependencies, ...manifest.peerDependencies, ...manifest.dependencies };
      // the optional peers too: `./redis` needs ioredis, `./http` undici, as the READMEs say
      for (const [peer, range] of Object.entries(manifest.peerDependencies ?? {}))
        extras.add(`${peer}@${range}`);
      for (const specifier of npmImports(firstExample(name).code))
        if (!manifest.dependencies?.[specifier]) extras.add(`${specifier}@${ranges[specifier] ?? 'latest'}`);
    }
    writeFileSync(
      join(project.dir, 'package.json'),
      JSON.stringify({ name: 'packed', private: true, type: 'module' }),
    );
    await project.run('npm', [
      'install',
      ...npmQuiet,
      ...[...packed.values()].map((result) => `./${result.filename}`),
      ...extras,
    ]);
  });

  afterAll(() => project?.remove());

  it.each(names)('%s packs its built exports and its sources, without tests', (name) => {
    const files = (packed.get(name)?.files ?? []).map((file) => file.path);
    for (const target of Object.values(manifestOf(name).exports).flatMap((entry) => [
      entry.types,
      entry.default,
    ]))
      expect(files, `${target} in the tarball`).toContain(target.replace(/^\.\//, ''));
    expect(files.filter((file) => /\.test(-helper)?\.ts$|test-support\//.test(file))).toEqual([]);
  });

  it.each(names)('%s loads every exports entry from the installed tarball', async (name) => {
    const subpaths = Object.keys(manifestOf(name).exports).map((key) => `@shipshape/${name}${key.slice(1)}`);
    const script = subpaths.map((subpath) => `await import('${subpath}');`).join('\n');
    await project.run(process.execPath, ['--input-type=module', '-e', script], { OTEL_SDK_DISABLED: 'true' });
  });

  it.each(names)("%s runs its README's first example", async (name) => {
    const example = firstExample(name);
    writeFileSync(join(project.dir, `${name}-example.ts`), example.code);
    await expect(
      project.run(process.execPath, [`${name}-example.ts`], { OTEL_TRACES_EXPORTER: 'none' }),
      `packages/${name}/README.md:${example.line}`,
    ).resolves.toBeTypeOf('string');
  });
});
