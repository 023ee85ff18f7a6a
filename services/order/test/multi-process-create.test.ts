import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { keys } from '../src/storage/keys.ts';

const redis = useRedisServer();
const fixture = fileURLToPath(new URL('./fixtures/create-concurrently.ts', import.meta.url));

interface Report {
  orderIds: string[];
  fresh: number;
}

/** Starts the fixture; resolves `ready` when it is connected and `report` with its JSON line. */
function startCreator(): { ready: Promise<void>; report: Promise<Report> } {
  const child = spawn(process.execPath, [fixture], {
    env: { ...process.env, REDIS_URL: redis.url, CONNECTIONS: '5' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const report = new Promise<Report>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready\n')) markReady();
    });
    child.once('exit', (code) => {
      const line = output.split('\n').find((l) => l.startsWith('{'));
      if (code === 0 && line !== undefined) resolve(JSON.parse(line) as Report);
      else reject(new Error(`creator exited with ${code}: ${output}`));
    });
  });
  return { ready, report };
}

it('creates one order and one outbox entry for 20 requests with one key across 4 processes', async () => {
  const creators = Array.from({ length: 4 }, () => startCreator());
  await Promise.all(creators.map((c) => c.ready));
  const control = new Redis(redis.url);
  control.on('error', () => {});
  try {
    await control.set('order:test:start', '1');
    const reports = await Promise.all(creators.map((c) => c.report));
    expect(new Set(reports.flatMap((r) => r.orderIds)).size).toBe(1);
    expect(reports.reduce((sum, r) => sum + r.fresh, 0)).toBe(1);
    expect(await control.xlen(keys.outbox)).toBe(1);
  } finally {
    await control.quit();
  }
});
