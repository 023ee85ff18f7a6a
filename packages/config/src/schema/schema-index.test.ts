import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { duration } from './duration.ts';
import { SchemaIndex, envNameOf } from './schema-index.ts';
import { secret } from './secret.ts';

const schema = z.object({
  port: z.int().default(3000),
  logLevel: z.string().default('info'),
  payment: z.object({ timeoutMs: duration().default(1000), errorRate: z.number().min(0).max(1).optional() }),
  db: z.object({ password: secret(z.string()).optional(), url: z.string().describe('db url') }),
  vault: secret(z.object({ token: z.string() })).optional(),
  hosts: z.array(z.string()).default([]),
  weights: z.record(z.string(), z.number()).default({}),
});

describe('SchemaIndex', () => {
  const index = new SchemaIndex(schema);

  it('lists every leaf with its coercion kind', () => {
    expect(Object.fromEntries([...index.leaves].map(([path, leaf]) => [path, leaf.kind]))).toEqual({
      port: 'integer',
      logLevel: 'string',
      'payment.timeoutMs': 'duration',
      'payment.errorRate': 'number',
      'db.password': 'string',
      'db.url': 'string',
      'vault.token': 'string',
      hosts: 'list',
      weights: 'object',
    });
  });

  it('marks secret leaves, also below a secret group', () => {
    expect(index.secretPaths).toEqual(['db.password', 'vault.token']);
  });

  it('does not mark the schema passed to secret() itself', () => {
    const plain = z.string();
    secret(plain);
    expect(new SchemaIndex(z.object({ a: plain })).secretPaths).toEqual([]);
  });

  it('resolves env-style, kebab and camel segments to the same key', () => {
    expect(index.resolve(['PAYMENT', 'TIMEOUT_MS'])).toBe('payment.timeoutMs');
    expect(index.resolve(['payment', 'timeout-ms'])).toBe('payment.timeoutMs');
    expect(index.resolve(['payment', 'timeoutMs'])).toBe('payment.timeoutMs');
    expect(index.resolve(['payment', 'nope'])).toBeUndefined();
  });

  it('maps dotted keys to env names with __ between levels', () => {
    expect(envNameOf('payment.timeoutMs')).toBe('PAYMENT__TIMEOUT_MS');
    expect(envNameOf('logLevel', 'APP_')).toBe('APP_LOG_LEVEL');
  });

  it('refuses a schema that is not an object', () => {
    expect(() => new SchemaIndex(z.string())).toThrow(/must be a z.object/);
  });
});
