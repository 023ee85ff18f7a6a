import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { PaymentRepository } from '../src/storage/payment-repository.ts';

const redis = useRedisServer();
const fixture = fileURLToPath(new URL('./fixtures/charge-concurrently.ts', import.meta.url));

interface Report {
  processorCalls: number;
  paymentIds: string[];
  fresh: number;
}

/** Starts the fixture; resolves `ready` when it is connected and `report` with its JSON line. */
function startCharger(): { ready: Promise<void>; report: Promise<Report> } {
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
      else reject(new Error(`charger exited with ${code}: ${output}`));
    });
  });
  return { ready, report };
}

it('makes exactly one processor call for 20 concurrent duplicates spread over 4 processes', async () => {
  const chargers = Array.from({ length: 4 }, () => startCharger());
  await Promise.all(chargers.map((c) => c.ready));
  const control = new Redis(redis.url);
  control.on('error', () => {});
  try {
    await control.set('payment:test:start', '1');
    const reports = await Promise.all(chargers.map((c) => c.report));
    expect(reports.reduce((sum, r) => sum + r.processorCalls, 0)).toBe(1);
    expect(reports.reduce((sum, r) => sum + r.fresh, 0)).toBe(1);
    expect(new Set(reports.flatMap((r) => r.paymentIds)).size).toBe(1);
    expect(await new PaymentRepository({ redis: control }).listPaymentsByOrder('order-mp')).toHaveLength(1);
  } finally {
    await control.quit();
  }
});
