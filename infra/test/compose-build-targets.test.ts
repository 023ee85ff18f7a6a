import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  composeBuildProblems,
  parseStages,
  untargetedBuildLines,
  type ComposeBuildService,
} from '../src/compose-build-targets.ts';
import { ROOT, readText, readYaml } from './support/repo.ts';

type ComposeFile = { services: Record<string, ComposeBuildService> };
const dockerfile = readText('Dockerfile');
const compose = (): ComposeFile => readYaml<ComposeFile>('docker-compose.yml');

describe('which stage each compose service builds', () => {
  it('parses the Dockerfile stages, with what each inherits', () => {
    const stages = parseStages(dockerfile);
    expect(stages.map((stage) => stage.name)).toEqual([
      'base',
      'prune',
      'build',
      'prod-deps',
      'load',
      'runtime',
    ]);
    const runtime = stages.find((stage) => stage.name === 'runtime')!;
    expect(runtime.cmd).toContain('dist/main.js');
    expect(runtime.healthcheck).toBe(true);
    expect(stages.find((stage) => stage.name === 'load')!.cmd).toEqual(['npm', 'run', 'load']);
  });

  it('makes the service image the default: `runtime` is the last stage', () => {
    expect(parseStages(dockerfile).at(-1)!.name).toBe('runtime');
  });

  it('builds for every service the stage that runs it (user, order, payment → runtime; load → load)', () => {
    const services = compose().services;
    expect(composeBuildProblems(dockerfile, services)).toEqual([]);
    for (const name of ['user', 'order', 'payment']) {
      expect((services[name]!.build as { target?: string }).target).toBe('runtime');
    }
  });

  it('fails a service build without a target, or with the wrong one', () => {
    const services = compose().services;
    const user = services.user!.build as { target?: string };
    delete user.target;
    (services.order!.build as { target?: string }).target = 'load';
    (services.load!.build as { target?: string }).target = 'runtime';
    expect(composeBuildProblems(dockerfile, services)).toEqual([
      'user: build names no target, so Docker builds the last stage (runtime)',
      'order: stage load does not start a service (its CMD is "npm run load")',
      'order: stage load has no HEALTHCHECK',
      expect.stringMatching(/^load: runs "npm run load -- .*" but stage runtime is made for "node --import/),
    ]);
  });

  it('would have caught the old Dockerfile, whose last stage was the load generator', () => {
    const loadLast =
      'FROM node AS runtime\nHEALTHCHECK CMD true\nCMD ["node", "dist/main.js"]\nFROM node AS load\nCMD ["npm", "run", "load"]\n';
    expect(
      composeBuildProblems(loadLast, {
        user: { build: { context: '.', dockerfile: 'Dockerfile' }, healthcheck: {} },
      }),
    ).toEqual(['user: build names no target, so Docker builds the last stage (load)']);
  });

  it('names a target in every documented `docker build` line of a service image', () => {
    const documented = execFileSync(
      'git',
      ['ls-files', '*.md', 'Dockerfile', '**/Dockerfile', '*.yml', '**/*.yml'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    )
      .split('\n')
      .filter(Boolean);
    const lines = documented.flatMap((file) =>
      untargetedBuildLines(readText(file)).map((line) => `${file}: ${line}`),
    );
    expect(lines).toEqual([]);
    expect(
      untargetedBuildLines('docker build --build-arg SERVICE=order --build-arg PORT=3002 .'),
    ).toHaveLength(1);
    expect(untargetedBuildLines('docker build --target runtime --build-arg SERVICE=order .')).toEqual([]);
  });
});
