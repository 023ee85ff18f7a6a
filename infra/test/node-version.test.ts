// The Node.js minimum. The root package.json `engines.node` must be what the lockfile's
// dependencies really need — the highest `engines.node` lower bound of everything `npm ci`
// installs — so that adding a dependency that needs a newer Node fails here instead of failing
// later on a user's machine. Every workspace, .nvmrc, the READMEs and .ci/run agree with it, and
// tools/scripts/check-node.cjs turns an older Node away with one line before any root command.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import semver from 'semver';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, readText } from './support/repo.ts';

interface LockEntry {
  link?: boolean;
  /** An object in current packages; a few very old ones still publish an array. */
  engines?: { node?: string } | string[];
}

interface NodeMinimum {
  /** The lowest Node version every installed package accepts as a lower bound. */
  version: string;
  /** The lockfile paths whose `engines.node` sets it. */
  neededBy: string[];
}

/**
 * The highest `engines.node` lower bound over the lockfile's packages: every package `npm ci`
 * installs (dependencies of every workspace, dev and optional ones included — an optional
 * package for another platform installs there). The workspaces themselves are left out: they
 * state the minimum, they do not impose one.
 */
function nodeMinimum(packages: Readonly<Record<string, LockEntry>>): NodeMinimum {
  let version = '0.0.0';
  let neededBy: string[] = [];
  for (const [path, entry] of Object.entries(packages)) {
    if (!path.includes('node_modules/') || entry.link) continue;
    const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
    if (range === undefined || semver.validRange(range) === null) continue;
    const lowest = semver.minVersion(range)!.version;
    if (semver.gt(lowest, version)) {
      version = lowest;
      neededBy = [path];
    } else if (semver.eq(lowest, version)) {
      neededBy.push(path);
    }
  }
  return { version, neededBy };
}

const lock = JSON.parse(readText('package-lock.json')) as { packages: Record<string, LockEntry> };
const rootPackage = JSON.parse(readText('package.json')) as {
  engines: { node: string };
  scripts: Record<string, string>;
};
const minimum = nodeMinimum(lock.packages);
const stated = rootPackage.engines.node;
/** Workspace folders, from the lockfile (the root `workspaces` globs, expanded by npm). */
const workspaces = Object.keys(lock.packages).filter(
  (path) => path !== '' && !path.includes('node_modules/'),
);
const checkScript = 'node tools/scripts/check-node.cjs';

describe('the Node.js minimum', () => {
  it('is the highest engines.node lower bound of the packages in package-lock.json', () => {
    expect(
      stated,
      `package.json engines.node; needed by ${minimum.neededBy.join(', ')} — update engines, README, .nvmrc if below`,
    ).toBe(`>=${minimum.version}`);
  });

  it('rises when a dependency with a higher engines.node is added to the lockfile', () => {
    const bumped = {
      ...lock.packages,
      'node_modules/needs-newer-node': { engines: { node: '^22.99.0 || >=24.99.0' } },
      'node_modules/accepts-older-node': { engines: { node: '^20.19.0 || >=22.12.0' } },
    };
    expect(nodeMinimum(bumped)).toEqual({ version: '22.99.0', neededBy: ['node_modules/needs-newer-node'] });
    expect(`>=${nodeMinimum(bumped).version}`).not.toBe(stated);
  });

  it('is accepted by every engines.node range of the lockfile, and so is the .nvmrc version (npm ci has engine-strict)', () => {
    const nvmrc = semver.coerce(readText('.nvmrc').trim())!.version;
    const refusing = (version: string): string[] =>
      Object.entries(lock.packages)
        .filter(([path, entry]) => {
          const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
          return path !== '' && range !== undefined && !semver.satisfies(version, range);
        })
        .map(([path, entry]) => `${path} (${JSON.stringify(entry.engines)})`);
    expect(refusing(minimum.version)).toEqual([]);
    expect(refusing(nvmrc)).toEqual([]);
    expect(readText('.npmrc')).toMatch(/^engine-strict=true$/m);
  });

  it('is stated by every workspace as well', () => {
    expect(workspaces.length).toBeGreaterThan(10);
    for (const workspace of workspaces) {
      const manifest = JSON.parse(readText(`${workspace}/package.json`)) as { engines?: { node?: string } };
      if (manifest.engines !== undefined) expect(manifest.engines.node, workspace).toBe(stated);
    }
  });

  it('is what the READMEs say, and the .nvmrc and Dockerfile Node meet it', () => {
    const readmes = ['README.md', ...workspaces.map((w) => `${w}/README.md`)].filter((path) => {
      try {
        readText(path);
        return true;
      } catch {
        return false;
      }
    });
    const mentions = readmes.flatMap((path) =>
      [...readText(path).matchAll(/Node(?:\.js)?\W{0,3}(?:>=|≥)\s*(\d+\.\d+(?:\.\d+)?)/g)].map(
        (match) => `${path}: ${semver.coerce(match[1])!.version}`,
      ),
    );
    expect(mentions.filter((m) => m.startsWith('README.md')).length).toBeGreaterThan(0);
    for (const mention of mentions) expect(mention).toMatch(new RegExp(`: ${minimum.version}$`));
    const nvmrcMajor = Number(readText('.nvmrc').trim());
    expect(semver.satisfies(`${nvmrcMajor}.0.0`, stated)).toBe(true);
    expect(readText('Dockerfile')).toMatch(new RegExp(`^ARG NODE_IMAGE=node:${nvmrcMajor}-`, 'm'));
  });

  it('is checked first by every root command, by preinstall and by .ci/run (which states no version of its own)', () => {
    const unchecked = Object.entries(rootPackage.scripts)
      .filter(([, command]) => !command.startsWith(checkScript))
      .map(([name]) => `${name} (start it with "${checkScript} && ")`);
    expect(unchecked, 'root package.json scripts').toEqual([]);
    expect(rootPackage.scripts['preinstall']).toBe(checkScript);
    const ci = readText('.ci/run');
    expect(ci).toContain(checkScript);
    expect(ci).not.toMatch(/\b22\.\d+/);
  });
});

describe('tools/scripts/check-node.cjs', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'check-node-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  /** Runs a copy of the real script beside a package.json stating `engines`, with this Node. */
  function check(engines: string): { status: number | null; stderr: string; stdout: string } {
    const dir = mkdtempSync(join(scratch, 'repo-'));
    mkdirSync(join(dir, 'tools', 'scripts'), { recursive: true });
    copyFileSync(join(ROOT, 'tools/scripts/check-node.cjs'), join(dir, 'tools/scripts/check-node.cjs'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ engines: { node: engines } }));
    const result = spawnSync(process.execPath, [join(dir, 'tools/scripts/check-node.cjs')], {
      encoding: 'utf8',
    });
    return { status: result.status, stderr: result.stderr, stdout: result.stdout };
  }
  const [major, minor, patch] = process.versions.node.split('.').map(Number) as [number, number, number];

  it('turns an older Node away with one line naming the minimum, the current version and .nvmrc', () => {
    const needed = `${major}.${minor + 1}.0`;
    expect(check(`>=${needed}`)).toEqual({
      status: 1,
      stdout: '',
      stderr: `Shipshape needs Node ≥ ${needed} (you have ${process.versions.node}). \`nvm install\` reads .nvmrc.\n`,
    });
  });

  it('compares versions as numbers, field by field', () => {
    expect(check(`>=${major - 1}.${minor + 10}.${patch + 10}`).status).toBe(0);
    expect(check(`>=${major}.${minor}.${patch + 1}`).status).toBe(1);
    expect(check(`>=${major + 1}.0.0`).status).toBe(1);
  });

  it('passes silently on exactly the minimum', () => {
    expect(check(`>=${process.versions.node}`)).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('refuses an engines.node it cannot read instead of passing', () => {
    const result = check('^22');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('engines.node must read ">=X.Y.Z", got "^22"');
  });

  it('passes on this repository with the Node running the tests', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'tools/scripts/check-node.cjs')], {
      encoding: 'utf8',
    });
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(readFileSync(join(ROOT, 'tools/scripts/check-node.cjs'), 'utf8')).not.toMatch(/\?\.|\?\?/);
  });
});
