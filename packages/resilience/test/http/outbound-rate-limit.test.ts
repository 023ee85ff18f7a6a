import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../../src/rate-limit/index.ts';
import { isRateLimitedError } from '../../src/http/index.ts';
import { rejectionOf, useFixtures } from './fixtures.ts';

const { server, client } = useFixtures();
const redis = useRedisServer();
const replica = fileURLToPath(new URL('./fixtures/limited-client.ts', import.meta.url));

interface Tally {
  sent: number;
  limited: number;
  other: number;
}

/** Spawns one replica; `ready` resolves when it is connected, `go()` starts its calls. */
function spawnReplica(args: string[]): { ready: Promise<void>; go: () => void; done: Promise<Tally> } {
  const child = spawn(process.execPath, [replica, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let signalReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (signalReady = resolve));
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    if (out.startsWith('ready\n')) signalReady();
  });
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const done = new Promise<Tally>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve(JSON.parse(out.slice('ready\n'.length)) as Tally);
      else reject(new Error(`replica exited ${code}: ${err}`));
    });
  });
  return { ready, go: () => child.stdin.write('go\n'), done };
}

describe('outbound rate limit', () => {
  it('fails fast without sending when the limiter says no', async () => {
    const s = await server();
    const limiter = new MemoryRateLimiter({ algorithm: 'fixed-window', limit: 2, windowMs: 60_000 });
    const c = client({ service: 'svc', endpoints: s.url, rateLimiter: limiter });
    await c.request({ path: '/' });
    await c.request({ path: '/' });
    const error = await rejectionOf(c.request({ path: '/' }));
    expect(isRateLimitedError(error)).toBe(true);
    expect((error as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
    expect(s.requests).toHaveLength(2);
  });

  it('lets exactly the quota through from two processes sharing one Redis limiter', async () => {
    const s = await server();
    const limit = 25;
    const args = [redis.url, s.url, '30', String(limit)];
    const replicas = [spawnReplica(args), spawnReplica(args)];
    await Promise.all(replicas.map((r) => r.ready));
    for (const r of replicas) r.go();
    const [a, b] = await Promise.all(replicas.map((r) => r.done));
    if (a === undefined || b === undefined) throw new Error('replica result missing');
    expect(s.requests).toHaveLength(limit);
    expect(a.sent + b.sent).toBe(limit);
    expect(a.limited + b.limited).toBe(60 - limit);
    expect(a.other + b.other).toBe(0);
    // Both replicas got a share: the quota is shared, not per process.
    expect(a.sent).toBeGreaterThan(0);
    expect(b.sent).toBeGreaterThan(0);
  }, 60_000);
});
