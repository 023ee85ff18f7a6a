import { describe, expect, it } from 'vitest';
import type { TargetRefusedError } from './target-refused-error.ts';
import { isTargetRefusedError } from './target-refused-error.ts';
import { assertTargetsAllowed, isLoopbackHost, resolveTargets } from './targets.ts';

const hrefs = (targets: ReturnType<typeof resolveTargets>) =>
  Object.fromEntries(
    Object.entries(targets).map(([service, t]) => [service, [t.source, ...t.urls.map((u) => u.href)]]),
  );

describe('resolveTargets', () => {
  it('defaults every service to 127.0.0.1 on its contract port', () => {
    expect(hrefs(resolveTargets({}, {}))).toEqual({
      user: ['default', 'http://127.0.0.1:3001/'],
      order: ['default', 'http://127.0.0.1:3002/'],
      payment: ['default', 'http://127.0.0.1:3003/'],
    });
  });

  it('takes the *_SERVICE_URL environment, and a flag over it', () => {
    const targets = resolveTargets(
      { order: 'http://127.0.0.1:9002' },
      { USER_SERVICE_URL: 'http://user:3001', ORDER_SERVICE_URL: 'http://order:3002' },
    );
    expect(hrefs(targets).user).toEqual(['env', 'http://user:3001/']);
    expect(hrefs(targets).order).toEqual(['flag', 'http://127.0.0.1:9002/']);
  });

  it('splits a comma-separated list into several endpoints', () => {
    expect(hrefs(resolveTargets({ payment: 'http://127.0.0.1:1, http://127.0.0.2:2' }, {})).payment).toEqual([
      'flag',
      'http://127.0.0.1:1/',
      'http://127.0.0.2:2/',
    ]);
  });

  it('refuses a non-http URL', () => {
    expect(() => resolveTargets({ user: 'ftp://127.0.0.1' }, {})).toThrow(
      'user target must be an http(s) URL, got "ftp://127.0.0.1"',
    );
  });
});

describe('assertTargetsAllowed', () => {
  it('refuses a non-loopback host nobody named', () => {
    const targets = {
      ...resolveTargets({}, {}),
      order: { urls: [new URL('http://10.1.2.3:3002')], source: 'default' as const },
    };
    let caught: unknown;
    try {
      assertTargetsAllowed(targets, false);
    } catch (error) {
      caught = error;
    }
    expect(isTargetRefusedError(caught)).toBe(true);
    expect((caught as TargetRefusedError).code).toBe('target_refused');
    expect((caught as TargetRefusedError).url).toBe('http://10.1.2.3:3002/');
  });

  it('allows that host with allowRemote', () => {
    const targets = {
      ...resolveTargets({}, {}),
      order: { urls: [new URL('http://10.1.2.3:3002')], source: 'default' as const },
    };
    expect(() => assertTargetsAllowed(targets, true)).not.toThrow();
  });

  it('allows a remote host the user named by flag or environment', () => {
    expect(() =>
      assertTargetsAllowed(
        resolveTargets({ user: 'http://10.1.2.3:3001' }, { ORDER_SERVICE_URL: 'http://order:3002' }),
        false,
      ),
    ).not.toThrow();
  });
});

describe('isLoopbackHost', () => {
  it.each(['localhost', 'api.localhost', '127.0.0.1', '127.9.9.9', '[::1]', '::1'])(
    '%s is loopback',
    (host) => {
      expect(isLoopbackHost(host)).toBe(true);
    },
  );

  it.each(['10.0.0.1', 'example.com', '0.0.0.0', '[::]', 'localhost.example.com', '128.0.0.1'])(
    '%s is not loopback',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );
});
