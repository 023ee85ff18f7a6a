import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scenarios } from '../src/scenarios/index.ts';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env['REDIS_URL'];
  delete env['ADMIN__TOKEN'];
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env, timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run scenario (child process)', () => {
  it('--help prints the usage with every scenario and exits 0', () => {
    const { code, stdout } = run('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: npm run scenario -- <name> [options]');
    for (const name of [
      'payment-outage',
      'payment-latency',
      'traffic-burst',
      'redis-blip',
      'rolling-restart',
      'poison-order',
      'soak',
      'redis-failover',
    ]) {
      expect(stdout).toContain(name);
    }
  });

  it('list prints one line per registered scenario', () => {
    const { code, stdout } = run('list');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(Object.keys(scenarios).length);
    for (const name of Object.keys(scenarios)) expect(lines.some((line) => line.includes(name))).toBe(true);
  });

  it('--no-defence on a scenario without a defence exits 2', () => {
    expect(run('traffic-burst', '--no-defence')).toMatchObject({ code: 2 });
  });

  it('an unknown scenario or a bad flag exits 2', () => {
    expect(run('no-such-scenario')).toMatchObject({ code: 2 });
    expect(run('traffic-burst', '--seed', 'x').code).toBe(2);
    expect(run('traffic-burst', '--target', 'user=http://127.0.0.1:1').code).toBe(2);
  });

  it('refuses a signal fault against --target before sending anything (exit 2)', () => {
    const { code, stderr } = run('payment-outage', '--target', 'http://127.0.0.1');
    expect(code).toBe(2);
    expect(stderr).toContain('cannot run against --target');
  });

  it('refuses poison-order against a target without its Redis (exit 2)', () => {
    const { code, stderr } = run('poison-order', '--short', '--target', 'http://127.0.0.1', '--quiet');
    expect(code).toBe(2);
    expect(stderr).toContain('--redis-url');
  });
});
