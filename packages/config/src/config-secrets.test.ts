import { inspect } from 'node:util';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { isConfigValidationError } from './errors/config-validation-error.ts';
import { secret } from './schema/secret.ts';
import { testSchema as schema } from './test-support/schema.test-helper.ts';

const password = 'correct-horse-battery';
const load = () => loadConfig({ schema, env: { DB__PASSWORD: password }, watch: false });

describe('Config secrets', () => {
  it('never echoes a secret in validation errors', async () => {
    const leaky = z.object({
      token: secret(
        z.string().refine((v) => v.startsWith('tok_'), { error: (i) => `bad token ${String(i.input)}` }),
      ),
      pin: secret(z.int()),
    });
    const error: unknown = await loadConfig({
      schema: leaky,
      env: { TOKEN: 'sk_live_12345', PIN: '12ab34' },
      watch: false,
    }).catch((e: unknown) => e);
    if (!isConfigValidationError(error)) throw new Error('expected a ConfigValidationError');
    expect(error.message).not.toContain('sk_live_12345');
    expect(error.message).not.toContain('12ab34');
    expect(error.problems.map((p) => p.reason)).toEqual([
      'expected an integer, got [redacted]',
      'bad token [redacted]',
    ]);
  });

  it('redacts secrets in describe, toJSON, JSON.stringify and util.inspect, but get() returns them', async () => {
    const config = await load();
    const surfaces = [
      JSON.stringify(config.describe()),
      JSON.stringify(config),
      JSON.stringify(config.get()),
      JSON.stringify(config.get('db')),
      inspect(config),
      inspect(config.get(), { depth: 10 }),
      inspect(config.get('db')),
    ];
    for (const text of surfaces) {
      expect(text).not.toContain(password);
      expect(text).toContain('[redacted]');
    }
    expect(config.get().db.password).toBe(password);
    expect(config.get('db.password')).toBe(password);
  });

  it('keeps redaction hooks out of the snapshot keys', async () => {
    const config = await load();
    expect(Object.keys(config.get().db)).toEqual(['password', 'hosts']);
  });
});
