import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { SchemaIndex } from '../schema/schema-index.ts';
import { EnvSource } from './env-source.ts';

const schema = new SchemaIndex(
  z.object({ port: z.int(), logLevel: z.string(), payment: z.object({ timeoutMs: z.int() }) }),
);

describe('EnvSource', () => {
  it('maps __ to nesting and snake case to camel case', () => {
    const env = { PAYMENT__TIMEOUT_MS: '2s', LOG_LEVEL: 'debug', PORT: '1' };
    const result = new EnvSource({ env }).read({ schema });
    expect(result.values).toEqual([
      { path: 'payment.timeoutMs', value: '2s', origin: 'env:PAYMENT__TIMEOUT_MS' },
      { path: 'logLevel', value: 'debug', origin: 'env:LOG_LEVEL' },
      { path: 'port', value: '1', origin: 'env:PORT' },
    ]);
  });

  it('ignores variables that name no key, and groups', () => {
    const result = new EnvSource({ env: { HOME: '/root', PAYMENT: '{}' } }).read({ schema });
    expect(result.values).toEqual([]);
  });

  it('reads only prefixed variables when a prefix is set', () => {
    const result = new EnvSource({ env: { APP_PORT: '1', PORT: '2' }, prefix: 'APP_' }).read({ schema });
    expect(result.values).toEqual([{ path: 'port', value: '1', origin: 'env:APP_PORT' }]);
  });

  it('copies the environment at construction', () => {
    const env: NodeJS.ProcessEnv = { PORT: '1' };
    const source = new EnvSource({ env });
    env['PORT'] = '2';
    expect(source.read({ schema }).values[0]?.value).toBe('1');
  });
});
