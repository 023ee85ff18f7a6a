// Supply chain: CI installs from the lockfile (`npm ci`) and reports `npm audit` for production
// dependencies; the images install with `--ignore-scripts`, so no production dependency of a
// service may need its install script (a new one fails here, with the lockfile path).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, readText } from './support/repo.ts';

interface LockEntry {
  link?: boolean;
  resolved?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  hasInstallScript?: boolean;
}

const lock = JSON.parse(readText('package-lock.json')) as { packages: Record<string, LockEntry> };

/**
 * Install scripts the images may skip, with the reason. Nothing else in a service's production
 * dependency tree may have one.
 */
const SKIPPABLE_INSTALL_SCRIPTS: Record<string, string> = {
  'node_modules/msgpackr-extract':
    "optional native accelerator of msgpackr (BullMQ's job encoding): its script only picks a prebuilt binary; without it msgpackr loads the prebuilt package or falls back to JavaScript",
};

/** Node's resolution over the lockfile's paths: `from/node_modules/name`, then each parent's. */
function resolve(from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (base === '') return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

/** Every lockfile path in the production dependency tree of a workspace (links followed). */
function productionTree(workspace: string): Set<string> {
  const seen = new Set<string>();
  const visit = (path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    const entry = lock.packages[path]!;
    if (entry.link && entry.resolved) return visit(entry.resolved);
    for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
      const target = resolve(path, name);
      if (target) visit(target);
    }
  };
  visit(workspace);
  return seen;
}

describe('supply chain', () => {
  it.each(['services/user', 'services/order', 'services/payment'])(
    'no production dependency of %s needs an install script (the images run npm ci --ignore-scripts)',
    (workspace) => {
      const tree = productionTree(workspace);
      expect(tree.size).toBeGreaterThan(10);
      const withScripts = [...tree].filter((path) => lock.packages[path]?.hasInstallScript);
      expect(withScripts.filter((path) => !(path in SKIPPABLE_INSTALL_SCRIPTS))).toEqual([]);
    },
  );

  it('installs with --ignore-scripts in every npm ci of the image', () => {
    const installs = readText('Dockerfile').match(/npm ci[^\n]*/g) ?? [];
    expect(installs.length).toBeGreaterThan(0);
    for (const install of installs) expect(install).toContain('--ignore-scripts');
  });

  it('installs from the lockfile and reports npm audit for production dependencies in CI', () => {
    const ci = readText('.ci/run');
    expect(ci).toMatch(/^npm ci$/m);
    expect(ci).toContain('npm audit --omit=dev --audit-level=high --json');
    expect(ci).toContain('| node tools/scripts/audit-summary.mjs');
  });
});

describe("CI's npm audit outcome (tools/scripts/audit-summary.mjs)", () => {
  /** Feeds an `npm audit --json` output to the script, as .ci/run does. */
  function summarize(report: string): { status: number | null; stdout: string } {
    const result = spawnSync(process.execPath, [join(ROOT, 'tools/scripts/audit-summary.mjs')], {
      input: report,
      encoding: 'utf8',
    });
    return { status: result.status, stdout: result.stdout };
  }
  const audited = (vulnerabilities: Record<string, number>): string =>
    JSON.stringify({
      auditReportVersion: 2,
      vulnerabilities: {},
      metadata: {
        vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, ...vulnerabilities },
        dependencies: { prod: 187, dev: 402, optional: 3, peer: 0, peerOptional: 0, total: 588 },
      },
    });

  it('says "could not audit" when the registry refuses the audit endpoint (405 here)', () => {
    // What npm 11 prints on stdout when the registry answers the bulk advisory endpoint with 405.
    const refused = JSON.stringify({
      message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
      method: 'POST',
      uri: 'https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
      statusCode: 405,
      body: '',
      error: { summary: '', detail: '' },
    });
    expect(summarize(refused)).toEqual({
      status: 2,
      stdout:
        'audit: could not audit (the registry answered 405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk); no advisory was checked\n',
    });
    expect(summarize(JSON.stringify({ error: { code: 'ENOTFOUND', summary: 'getaddrinfo' } }))).toEqual({
      status: 2,
      stdout: 'audit: could not audit (ENOTFOUND); no advisory was checked\n',
    });
    expect(summarize('').status).toBe(2);
  });

  it('counts high and critical advisories as a different outcome', () => {
    expect(summarize(audited({ critical: 1, high: 2, moderate: 4 }))).toEqual({
      status: 1,
      stdout:
        'audit: 3 high or critical advisories (critical 1, high 2; moderate 4, low 0, info 0 below the threshold)\n',
    });
  });

  it('passes an audit with advisories below high only', () => {
    expect(summarize(audited({ moderate: 2, low: 1 }))).toEqual({
      status: 0,
      stdout:
        'audit: no high or critical advisory in 187 packages (moderate 2, low 1, info 0 below the threshold)\n',
    });
  });
});
