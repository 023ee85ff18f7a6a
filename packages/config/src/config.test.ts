import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { Config, loadConfig } from './config.ts';
import type { ReloadEvent, StaticChangeEvent } from './config-events.ts';
import type { ConfigOptions } from './config-options.ts';
import { isConfigValidationError, type ConfigValidationError } from './errors/config-validation-error.ts';
import { EnvSource } from './sources/env-source.ts';
import { FileSource } from './sources/file-source.ts';
import { testSchema as schema } from './test-support/schema.test-helper.ts';
import { makeTmpDir } from './test-support/kube-mount.test-helper.ts';

/** `expect.stringMatching`, typed so that it can sit inside an object literal. */
const matching = (pattern: RegExp): unknown => expect.stringMatching(pattern);

const password = 'correct-horse-battery';

async function rejection(promise: Promise<unknown>): Promise<ConfigValidationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isConfigValidationError(error))
    throw new Error(`expected a ConfigValidationError, got ${String(error)}`);
  return error;
}

describe('Config', () => {
  let dir: string;
  let file: string;
  let configDir: string;
  let secretsDir: string;
  beforeEach(async () => {
    dir = await makeTmpDir();
    file = join(dir, 'config.json');
    configDir = join(dir, 'configmap');
    secretsDir = join(dir, 'secrets');
    await mkdir(configDir);
    await mkdir(secretsDir);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const load = (env: NodeJS.ProcessEnv, extra: Partial<ConfigOptions<typeof schema>> = {}) =>
    loadConfig({ schema, env: { ...env }, watch: false, ...extra });

  it('applies schema defaults when no source sets a key', async () => {
    const config = await load({ DB__PASSWORD: password });
    expect(config.get()).toEqual({
      port: 3000,
      logLevel: 'info',
      payment: { timeoutMs: 1000, retries: 2 },
      chaos: { errorRate: 0, enabled: false },
      db: { password, hosts: ['localhost'] },
    });
    expect(config.describe()['port']).toEqual({ value: 3000, source: 'default' });
  });

  it('layers file < ConfigMap dir < Secret dir < env, each key from its highest source', async () => {
    await writeFile(
      file,
      JSON.stringify({ port: 1001, logLevel: 'debug', payment: { retries: 4, timeoutMs: '1s' } }),
    );
    await writeFile(join(configDir, 'port'), '1002');
    await writeFile(join(configDir, 'payment.retries'), '5');
    await writeFile(join(secretsDir, 'port'), '1003');
    await writeFile(join(secretsDir, 'db.password'), password);
    const config = await load({
      CONFIG_FILE: file,
      CONFIG_DIR: configDir,
      SECRETS_DIR: secretsDir,
      PORT: '1004',
    });
    expect(config.get('port')).toBe(1004);
    expect(config.get('payment.retries')).toBe(5);
    expect(config.get('logLevel')).toBe('debug');
    expect(config.get('payment.timeoutMs')).toBe(1000);
    expect(config.describe()).toMatchObject({
      port: { value: 1004, source: 'env:PORT' },
      'payment.retries': { value: 5, source: `configmap:${join(configDir, 'payment.retries')}` },
      logLevel: { value: 'debug', source: `file:${file}` },
      'db.password': { value: '[redacted]', source: `secrets:${join(secretsDir, 'db.password')}` },
      'chaos.enabled': { value: false, source: 'default' },
    });
  });

  it('drops each layer in turn: a lower source shows through when a higher one is removed', async () => {
    await writeFile(file, JSON.stringify({ port: 1001 }));
    await writeFile(join(configDir, 'port'), '1002');
    await writeFile(join(secretsDir, 'port'), '1003');
    const env = { CONFIG_FILE: file, CONFIG_DIR: configDir, SECRETS_DIR: secretsDir, DB__PASSWORD: password };
    expect((await load(env)).get('port')).toBe(1003);
    await rm(join(secretsDir, 'port'));
    expect((await load(env)).get('port')).toBe(1002);
    await rm(join(configDir, 'port'));
    expect((await load(env)).get('port')).toBe(1001);
  });

  it('treats an empty string as unset, so the lower layer applies', async () => {
    await writeFile(file, JSON.stringify({ logLevel: 'warn' }));
    const config = await load({ CONFIG_FILE: file, LOG_LEVEL: '', DB__PASSWORD: password });
    expect(config.describe()['logLevel']).toEqual({ value: 'warn', source: `file:${file}` });
  });

  it('reads env vars under a prefix only', async () => {
    const config = await load(
      { APP_PORT: '1234', PORT: '9', APP_DB__PASSWORD: password },
      { envPrefix: 'APP_' },
    );
    expect(config.get('port')).toBe(1234);
  });

  it('lists every problem in one error, each with key, source and reason', async () => {
    await writeFile(file, JSON.stringify({ port: 70_000, logLevl: 'x' }));
    await writeFile(join(configDir, 'chaos.enabled'), 'maybe');
    const error = await rejection(
      load({ CONFIG_FILE: file, CONFIG_DIR: configDir, PAYMENT__TIMEOUT_MS: 'soon', CHAOS__ERROR_RATE: '2' }),
    );
    expect(error.code).toBe('ERR_CONFIG_INVALID');
    expect(error.name).toBe('ConfigValidationError');
    expect(error.problems).toEqual([
      { key: 'logLevl', source: `file:${file}`, reason: 'unknown key (not in the schema)' },
      {
        key: 'chaos.enabled',
        source: `configmap:${join(configDir, 'chaos.enabled')}`,
        reason: 'expected a boolean (true/false, 1/0, yes/no, on/off), got "maybe"',
      },
      {
        key: 'payment.timeoutMs',
        source: 'env:PAYMENT__TIMEOUT_MS',
        reason: 'expected a duration such as 250ms, 2s, 1m, 1h or a number of milliseconds, got "soon"',
      },
      { key: 'port', source: `file:${file}`, reason: matching(/<=65535/) },
      { key: 'chaos.errorRate', source: 'env:CHAOS__ERROR_RATE', reason: matching(/<=1/) },
      {
        key: 'db.password',
        source: 'unset',
        reason: 'required, but no source sets it (e.g. env DB__PASSWORD)',
      },
    ]);
    expect(error.message).toContain(`  - port: Too big: expected number to be <=65535 [file:${file}]`);
    expect(error.message.split('\n')[0]).toBe('Invalid configuration (6 problems):');
  });

  it('ignores unknown keys when unknownKeys is ignore', async () => {
    await writeFile(file, JSON.stringify({ logLevl: 'x' }));
    const config = await load({ CONFIG_FILE: file, DB__PASSWORD: password }, { unknownKeys: 'ignore' });
    expect(config.get('logLevel')).toBe('info');
  });

  it('reports a source that throws under its name', async () => {
    const broken = { name: 'vault', read: () => Promise.reject(new Error('vault sealed')) };
    const error = await rejection(
      load({}, { sources: [broken, new EnvSource({ env: { DB__PASSWORD: password } })] }),
    );
    expect(error.problems).toEqual([{ key: '', source: 'vault', reason: 'vault sealed' }]);
  });

  it('returns a deeply frozen snapshot, the same object until a reload changes it', async () => {
    const config = await load({ DB__PASSWORD: password });
    const snapshot = config.get();
    expect(Object.isFrozen(snapshot)).toBe(true);
    expect(Object.isFrozen(snapshot.db.hosts)).toBe(true);
    expectTypeOf(snapshot.db.hosts).toEqualTypeOf<readonly string[]>();
    expect(() => {
      (snapshot.db.hosts as string[]).push('x');
    }).toThrow(TypeError);
    expect(config.get()).toBe(snapshot);
  });

  it('applies a valid reload and tells onChange listeners the new and old values', async () => {
    await writeFile(file, JSON.stringify({ chaos: { errorRate: 0.1 } }));
    const config = await load({ CONFIG_FILE: file, DB__PASSWORD: password });
    const seen: unknown[][] = [];
    const any: unknown[] = [];
    config.onChange('chaos.errorRate', (next, prev) => seen.push([next, prev]));
    config.onChange('port', () => seen.push(['port changed']));
    config.onChange('*', (next) => any.push(next));
    await writeFile(file, JSON.stringify({ chaos: { errorRate: 0.5 } }));
    expect(await config.reload()).toEqual({ source: 'manual', outcome: 'success' });
    expect(seen).toEqual([[0.5, 0.1]]);
    expect(any).toEqual([config.get()]);
  });

  it('keeps the last good snapshot on an invalid reload and reports the error', async () => {
    await writeFile(file, JSON.stringify({ chaos: { errorRate: 0.1 } }));
    const config = await load({ CONFIG_FILE: file, DB__PASSWORD: password });
    const before = config.get();
    const errors: Error[] = [];
    const reloads: ReloadEvent[] = [];
    config.onError((e) => errors.push(e));
    config.onReload((e) => reloads.push(e));
    await writeFile(file, JSON.stringify({ chaos: { errorRate: 7 } }));
    const event = await config.reload('file');
    expect(event.outcome).toBe('failure');
    expect(config.get()).toBe(before);
    expect(reloads.map((r) => [r.source, r.outcome])).toEqual([['file', 'failure']]);
    expect(errors).toHaveLength(1);
    expect(isConfigValidationError(errors[0]) && errors[0].problems[0]?.key).toBe('chaos.errorRate');
  });

  it('turns an unexpected reload failure into a failure event and keeps reloading afterwards', async () => {
    let calls = 0;
    const flaky = {
      name: 'flaky',
      read: () => {
        calls += 1;
        // A broken source returning something that is not a result at all.
        return calls === 2
          ? (null as never)
          : { values: [{ path: 'port', value: String(4000 + calls), origin: 'flaky' }] };
      },
    };
    const config = await loadConfig({
      schema,
      watch: false,
      sources: [new EnvSource({ env: { DB__PASSWORD: password } }), flaky],
    });
    config.onError(() => {});
    expect((await config.reload('flaky')).outcome).toBe('failure');
    expect(config.get('port')).toBe(4001);
    expect(await config.reload('flaky')).toEqual({ source: 'flaky', outcome: 'success' });
    expect(config.get('port')).toBe(4003);
  });

  it('reports unchanged when a reload produces the same values', async () => {
    const config = await load({ DB__PASSWORD: password });
    const before = config.get();
    expect(await config.reload()).toEqual({ source: 'manual', outcome: 'unchanged' });
    expect(config.get()).toStrictEqual(before);
  });

  it('holds a static key at its running value and reports the attempted change', async () => {
    await writeFile(file, JSON.stringify({ port: 8080, logLevel: 'info' }));
    const config = await load({ CONFIG_FILE: file, DB__PASSWORD: password }, { static: ['port'] });
    const held: StaticChangeEvent[] = [];
    config.onStaticChange((e) => held.push(e));
    await writeFile(file, JSON.stringify({ port: 9090, logLevel: 'debug' }));
    expect((await config.reload('file')).outcome).toBe('success');
    expect(config.get('port')).toBe(8080);
    expect(config.get('logLevel')).toBe('debug');
    expect(held).toEqual([{ key: 'port', source: 'file', current: 8080, rejected: 9090 }]);
    expect(config.describe()['port']).toEqual({ value: 8080, source: `file:${file}` });
  });

  it('redacts a held-back static secret', async () => {
    await writeFile(file, JSON.stringify({ db: { password } }));
    const config = await load({ CONFIG_FILE: file }, { static: ['db'] });
    const held: StaticChangeEvent[] = [];
    config.onStaticChange((e) => held.push(e));
    await writeFile(file, JSON.stringify({ db: { password: `${password}-rotated` } }));
    expect((await config.reload()).outcome).toBe('unchanged');
    expect(held).toEqual([{ key: 'db', source: 'manual', current: '[redacted]', rejected: '[redacted]' }]);
  });

  it('refuses a static key that is not in the schema', () => {
    expect(() => new Config({ schema, static: ['prot' as 'port'] })).toThrow(
      /static key "prot" is not in the schema/,
    );
  });

  it('refuses a negative debounce', () => {
    expect(() => new Config({ schema, debounceMs: -1 })).toThrow(
      'debounceMs must be a finite number >= 0, got -1',
    );
  });

  it('accepts custom sources in the given precedence', async () => {
    await writeFile(file, JSON.stringify({ port: 1 }));
    const config = await loadConfig({
      schema,
      watch: false,
      sources: [
        new EnvSource({ env: { PORT: '2', DB__PASSWORD: password } }),
        new FileSource({ path: file }),
      ],
    });
    expect(config.get('port')).toBe(1);
  });
});
