import { describe, expect, it } from 'vitest';
import { parseCli, parseTargets } from './cli-args.ts';

describe('parseCli', () => {
  it('reads the scenario, the form and the output flags', () => {
    const cli = parseCli(['payment-outage', '--short', '--json', '--seed', '42'], {});
    expect(cli).toMatchObject({ scenario: 'payment-outage', short: true, fault: true, json: true, seed: 42 });
    expect(cli.target).toBeUndefined();
  });

  it("--no-defence switches the scenario's defence off", () => {
    expect(parseCli(['slow-replica', '--no-defence'], {}).defence).toBe(false);
    expect(parseCli(['slow-replica'], {}).defence).toBe(true);
  });

  it('--no-fault switches the fault off', () => {
    expect(parseCli(['traffic-burst', '--no-fault'], {}).fault).toBe(false);
  });

  it('takes the Redis URL and admin token from flags, else the environment', () => {
    const env = { REDIS_URL: 'redis://env:6379', ADMIN__TOKEN: 'env-token' };
    expect(parseCli(['x'], env)).toMatchObject({ redisUrl: 'redis://env:6379', adminToken: 'env-token' });
    expect(parseCli(['x', '--redis-url', 'redis://flag:1', '--admin-token', 't'], env)).toMatchObject({
      redisUrl: 'redis://flag:1',
      adminToken: 't',
    });
  });

  it('refuses a bad seed and two scenario names', () => {
    expect(() => parseCli(['x', '--seed', '-1'], {})).toThrow(/--seed/);
    expect(() => parseCli(['x', '--seed', '4294967296'], {})).toThrow(/--seed/);
    expect(() => parseCli(['a', 'b'], {})).toThrow(/one scenario at a time/);
  });
});

describe('parseTargets', () => {
  it('a base URL puts every service on its contract port', () => {
    expect(parseTargets(['http://127.0.0.1'])).toEqual({
      user: ['http://127.0.0.1:3001'],
      order: ['http://127.0.0.1:3002'],
      payment: ['http://127.0.0.1:3003'],
    });
  });

  it('service=url pairs name replicas and override the base', () => {
    expect(parseTargets(['http://10.0.0.5', 'order=http://10.0.0.5:4002/,http://10.0.0.6:4002'])).toEqual({
      user: ['http://10.0.0.5:3001'],
      order: ['http://10.0.0.5:4002', 'http://10.0.0.6:4002'],
      payment: ['http://10.0.0.5:3003'],
    });
  });

  it('refuses unknown services, missing services, ports on the base and non-http URLs', () => {
    expect(() => parseTargets(['shipping=http://h:1'])).toThrow(/unknown service "shipping"/);
    expect(() => parseTargets(['user=http://h:1'])).toThrow(/does not name payment/);
    expect(() => parseTargets(['http://h:3000'])).toThrow(/takes no port/);
    expect(() => parseTargets(['ftp://h'])).toThrow(/http\(s\) URLs only/);
    expect(() => parseTargets(['http://a', 'http://b'])).toThrow(/at most one base URL/);
  });
});
