import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SchemaIndex } from '../schema/schema-index.ts';
import { makeTmpDir } from '../test-support/kube-mount.test-helper.ts';
import { FileSource } from './file-source.ts';

const schema = new SchemaIndex(
  z.object({
    port: z.int(),
    payment: z.object({ timeoutMs: z.int() }),
    tags: z.record(z.string(), z.string()),
  }),
);

describe('FileSource', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTmpDir();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('flattens a nested JSON file into one value per key, naming the file as origin', async () => {
    const path = join(dir, 'config.json');
    await writeFile(path, JSON.stringify({ port: 8080, payment: { timeoutMs: '2s' }, tags: { a: 'b' } }));
    const result = await new FileSource({ path }).read({ schema });
    expect(result.values).toEqual([
      { path: 'port', value: 8080, origin: `file:${path}` },
      { path: 'payment.timeoutMs', value: '2s', origin: `file:${path}` },
      { path: 'tags', value: { a: 'b' }, origin: `file:${path}` },
    ]);
  });

  it('reports a missing file as a problem of the file', async () => {
    const path = join(dir, 'missing.json');
    const result = await new FileSource({ path }).read({ schema });
    expect(result.problems).toEqual([
      { path: '', origin: `file:${path}`, reason: 'cannot read the file (ENOENT)' },
    ]);
  });

  it('supplies nothing for a missing optional file', async () => {
    const result = await new FileSource({ path: join(dir, 'missing.json'), optional: true }).read({ schema });
    expect(result).toEqual({ values: [] });
  });

  it('reports invalid JSON without quoting the content', async () => {
    const path = join(dir, 'config.json');
    await writeFile(path, '{ "password": hunter2 }');
    const result = await new FileSource({ path }).read({ schema });
    expect(result.problems?.[0]?.reason).toBe('the file is not valid JSON');
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });

  it('reports a file that holds something other than an object', async () => {
    const path = join(dir, 'config.json');
    await writeFile(path, '[1, 2]');
    const result = await new FileSource({ path }).read({ schema });
    expect(result.problems?.[0]?.reason).toBe('the file must hold a JSON object');
  });
});
