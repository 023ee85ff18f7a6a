import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCli, usage } from './cli-args.ts';

describe('parseCli', () => {
  it('reads the compose command line: --rate 20 --duration 10m', () => {
    const config = parseCli(['--rate', '20', '--duration', '10m'], {});
    expect(config.run.profile).toEqual({ rate: 20, durationMs: 600_000 });
    expect(config.metricsPort).toBe(9464);
    expect(config.metricsHost).toBe('127.0.0.1');
    expect(config.run.targets.order.urls.map((u) => u.href)).toEqual(['http://127.0.0.1:3002/']);
  });

  it('takes targets from the *_SERVICE_URL environment as named by the user', () => {
    const config = parseCli([], {
      USER_SERVICE_URL: 'http://user:3001',
      ORDER_SERVICE_URL: 'http://order:3002',
    });
    expect(config.run.targets.user).toMatchObject({ source: 'env' });
    expect(config.run.targets.order.urls[0]!.host).toBe('order:3002');
    expect(config.run.targets.payment).toMatchObject({ source: 'default' });
  });

  it('reads every profile flag', () => {
    const config = parseCli(
      [
        '--profile',
        'spike',
        '--rate',
        '10',
        '--duration',
        '2m',
        '--spike-multiplier',
        '4',
        '--spike-after',
        '30s',
        '--spike-length',
        '15s',
      ],
      {},
    );
    expect(config.run.profile).toEqual({
      profile: 'spike',
      rate: 10,
      durationMs: 120_000,
      spikeMultiplier: 4,
      spikeAfterMs: 30_000,
      spikeLengthMs: 15_000,
    });
  });

  it('reads bounds, seed, mix and output flags', () => {
    const config = parseCli(
      [
        '--seed',
        '42',
        '--mix',
        'create-user=1',
        '--max-requests',
        '100',
        '--max-in-flight',
        '8',
        '--timeout',
        '2s',
        '--json',
        '--quiet',
        '--metrics-port',
        'off',
      ],
      {},
    );
    expect(config.run).toMatchObject({
      seed: 42,
      mix: { 'create-user': 1 },
      maxRequests: 100,
      maxInFlight: 8,
      timeoutMs: 2000,
    });
    expect(config).toMatchObject({ json: true, quiet: true, metricsPort: null });
  });

  it.each([
    [['--rate=-1'], '--rate must be a rate > 0, got "-1"'],
    [['--profile', 'burst'], '--profile must be one of steady, step, spike, soak, got "burst"'],
    [['--seed', '1.5'], '--seed must be an integer in [0, 2^32), got "1.5"'],
    [['--metrics-port', '70000'], '--metrics-port must be a port (0–65535) or off, got "70000"'],
    [['--duration', '25h'], 'durationMs must be in (0, 86400000], got 90000000'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCli(argv, {})).toThrow(message);
  });

  it('rejects an unknown flag', () => {
    expect(() => parseCli(['--target', 'x'], {})).toThrow(/Unknown option '--target'/);
  });

  it('reads --fail-on-status and --fail-threshold, and refuses a threshold alone', () => {
    expect(parseCli(['--fail-on-status', '429,5xx', '--fail-threshold', '1'], {}).statusCheck).toEqual({
      statuses: ['429', '5xx'],
      maxShare: 0.01,
    });
    expect(parseCli([], {}).statusCheck).toBeUndefined();
    expect(() => parseCli(['--fail-threshold', '1'], {})).toThrow('--fail-threshold needs --fail-on-status');
  });

  it('is documented in the README as --help prints it', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain('```text\n' + usage + '```');
  });
});
