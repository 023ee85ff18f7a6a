import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitFor } from '@shipshape/test-harness';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from './config.ts';
import type { ReloadEvent } from './config-events.ts';
import { kubeMount, kubeSwap, makeTmpDir } from './test-support/kube-mount.test-helper.ts';
import { testSchema as schema } from './test-support/schema.test-helper.ts';

const password = 'correct-horse-battery';

// Real fs.watch and real time: fake timers would fight the watcher's own events.
describe('Config hot reload', () => {
  let dir: string;
  let config: Config<typeof schema> | undefined;
  beforeEach(async () => {
    dir = await makeTmpDir();
  });
  afterEach(async () => {
    await config?.close();
    config = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  const start = async (env: NodeJS.ProcessEnv) => {
    config = await loadConfig({ schema, env: { DB__PASSWORD: password, ...env }, debounceMs: 20 });
    const reloads: ReloadEvent[] = [];
    config.onReload((e) => reloads.push(e));
    return { config, reloads };
  };

  it('reloads when the JSON file is rewritten in place', async () => {
    const file = join(dir, 'config.json');
    await writeFile(file, JSON.stringify({ chaos: { errorRate: 0.1 } }));
    const { config, reloads } = await start({ CONFIG_FILE: file });
    await writeFile(file, JSON.stringify({ chaos: { errorRate: 0.3 } }));
    await waitFor('errorRate 0.3', () => config.get('chaos.errorRate') === 0.3);
    expect(reloads.some((r) => r.source === 'file' && r.outcome === 'success')).toBe(true);
  });

  it('reloads when the JSON file is replaced by rename, as editors save', async () => {
    const file = join(dir, 'config.json');
    await writeFile(file, JSON.stringify({ logLevel: 'info' }));
    const { config } = await start({ CONFIG_FILE: file });
    for (const level of ['debug', 'warn']) {
      await writeFile(join(dir, 'config.json.tmp'), JSON.stringify({ logLevel: level }));
      await rename(join(dir, 'config.json.tmp'), file);
      await waitFor(`logLevel ${level}`, () => config.get('logLevel') === level);
    }
  });

  it('follows repeated kubelet ..data swaps of a ConfigMap directory', async () => {
    const configDir = join(dir, 'configmap');
    await mkdir(configDir);
    await kubeMount(configDir, { 'chaos.errorRate': '0.1' });
    const { config, reloads } = await start({ CONFIG_DIR: configDir });
    const seen: unknown[] = [];
    config.onChange('chaos.errorRate', (next) => seen.push(next));

    await kubeSwap(configDir, { 'chaos.errorRate': '0.2', 'payment.retries': '7' }, ['chaos.errorRate']);
    await waitFor('first swap applied', () => config.get('payment.retries') === 7);
    expect(config.get('chaos.errorRate')).toBe(0.2);

    await kubeSwap(configDir, { 'chaos.errorRate': '0.4' }, ['chaos.errorRate', 'payment.retries']);
    await waitFor('second swap applied', () => config.get('chaos.errorRate') === 0.4);
    expect(config.get('payment.retries')).toBe(2);
    expect(seen).toEqual([0.2, 0.4]);
    expect(reloads.every((r) => r.source === 'configmap' && r.outcome !== 'failure')).toBe(true);
  });

  it('reloads a CONFIG_FILE that is a key of a ConfigMap mount when kubelet swaps ..data', async () => {
    const mount = join(dir, 'mount');
    await mkdir(mount);
    await kubeMount(mount, { 'config.json': JSON.stringify({ logLevel: 'info' }) });
    const { config, reloads } = await start({ CONFIG_FILE: join(mount, 'config.json') });
    await kubeSwap(mount, { 'config.json': JSON.stringify({ logLevel: 'warn' }) }, ['config.json']);
    await waitFor('logLevel warn', () => config.get('logLevel') === 'warn');
    expect(reloads.filter((r) => r.outcome === 'success').map((r) => r.source)).toEqual(['file']);
  });

  it('rotates a secret from a Secret directory swap', async () => {
    const secretsDir = join(dir, 'secrets');
    await mkdir(secretsDir);
    await kubeMount(secretsDir, { 'db.password': 'first-password' });
    const { config } = await start({ SECRETS_DIR: secretsDir, DB__PASSWORD: '' });
    await kubeSwap(secretsDir, { 'db.password': 'second-password' }, ['db.password']);
    await waitFor('rotated password', () => config.get('db.password') === 'second-password');
    expect(config.describe()['db.password']?.value).toBe('[redacted]');
  });

  it('keeps the last good snapshot when a watched file turns invalid, then recovers', async () => {
    const file = join(dir, 'config.json');
    await writeFile(file, JSON.stringify({ chaos: { errorRate: 0.1 } }));
    const { config, reloads } = await start({ CONFIG_FILE: file });
    const errors: Error[] = [];
    config.onError((e) => errors.push(e));
    const good = config.get();

    await writeFile(file, '{ "chaos": { "errorRate": ');
    await waitFor('a failed reload', () => reloads.some((r) => r.outcome === 'failure'));
    expect(config.get()).toBe(good);
    expect(errors[0]?.message).toContain(`the file is not valid JSON [file:${file}]`);

    await writeFile(file, JSON.stringify({ chaos: { errorRate: 0.9 } }));
    await waitFor('recovered', () => config.get('chaos.errorRate') === 0.9);
  });

  it('debounces a burst of writes into few reloads', async () => {
    const file = join(dir, 'config.json');
    await writeFile(file, JSON.stringify({ payment: { retries: 0 } }));
    config = await loadConfig({
      schema,
      env: { DB__PASSWORD: password, CONFIG_FILE: file },
      debounceMs: 300,
    });
    const reloads: ReloadEvent[] = [];
    config.onReload((e) => reloads.push(e));
    for (let i = 1; i <= 10; i++) await writeFile(file, JSON.stringify({ payment: { retries: i } }));
    await waitFor('last write applied', () => config?.get('payment.retries') === 10);
    // Ten writes in far less than 300 ms on an idle machine; allow for a loaded one.
    expect(reloads.length).toBeLessThan(10);
  });
});
