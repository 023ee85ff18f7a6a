import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SchemaIndex } from '../schema/schema-index.ts';
import { kubeMount, makeTmpDir } from '../test-support/kube-mount.test-helper.ts';
import { DirectorySource } from './directory-source.ts';

const schema = new SchemaIndex(z.object({ port: z.int(), payment: z.object({ timeoutMs: z.int() }) }));

describe('DirectorySource', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTmpDir();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads one key per file through kubelet symlinks, skipping the ..data machinery', async () => {
    await kubeMount(dir, { port: '8080\n', 'payment.timeoutMs': '2s' });
    const result = await new DirectorySource({ path: dir, name: 'configmap' }).read({ schema });
    expect(result.values).toEqual([
      { path: 'payment.timeoutMs', value: '2s', origin: `configmap:${join(dir, 'payment.timeoutMs')}` },
      { path: 'port', value: '8080', origin: `configmap:${join(dir, 'port')}` },
    ]);
  });

  it('accepts env-style file names with __ between levels', async () => {
    await writeFile(join(dir, 'PAYMENT__TIMEOUT_MS'), '250ms');
    const result = await new DirectorySource({ path: dir }).read({ schema });
    expect(result.values).toEqual([
      { path: 'payment.timeoutMs', value: '250ms', origin: `directory:${join(dir, 'PAYMENT__TIMEOUT_MS')}` },
    ]);
  });

  it('returns unknown file names as written, for the config to report', async () => {
    await writeFile(join(dir, 'prot'), '1');
    const result = await new DirectorySource({ path: dir }).read({ schema });
    expect(result.values.map((v) => v.path)).toEqual(['prot']);
  });

  it('ignores dotfiles and nested directories', async () => {
    await writeFile(join(dir, '.hidden'), 'x');
    await mkdir(join(dir, 'nested'));
    const result = await new DirectorySource({ path: dir }).read({ schema });
    expect(result.values).toEqual([]);
  });

  it('reports a missing directory unless it is optional', async () => {
    const missing = join(dir, 'nope');
    const required = await new DirectorySource({ path: missing, name: 'secrets' }).read({ schema });
    expect(required.problems).toEqual([
      { path: '', origin: `secrets:${missing}`, reason: 'cannot read the directory (ENOENT)' },
    ]);
    const optional = await new DirectorySource({ path: missing, optional: true }).read({ schema });
    expect(optional).toEqual({ values: [] });
  });
});
