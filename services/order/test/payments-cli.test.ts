import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '@shipshape/test-harness';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { describe, expect, it } from 'vitest';
import { scriptedProcessor, usePaymentService, usePipeline } from './payments-harness.ts';

const redis = useRedisServer();
const startPayment = usePaymentService(() => redis.url);
const startPipeline = usePipeline(() => redis.url);
const cli = fileURLToPath(new URL('../src/cli/dlq.ts', import.meta.url));

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the dlq tool as its own process (as `npm run dlq -- …` does, from the sources). */
async function dlq(args: string[], redisUrl = redis.url): Promise<CliRun> {
  const env = { PATH: process.env.PATH ?? '', REDIS_URL: redisUrl };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, ...args], {
      env,
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run dlq', { timeout: 60_000 }, () => {
  it('lists dead letters and replays them into the payment queue', async () => {
    const processor = scriptedProcessor();
    processor.script({ unavailable: 0 });
    const payment = await startPayment(processor);
    const p = await startPipeline(payment.url, { attempts: 1 });
    const orderId = await p.createOrder(1_999);
    expect(await p.waitForStatus(orderId)).toBe('payment_failed');

    const json = await dlq(['list', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({
        orderId,
        amountCents: 1_999,
        currency: 'USD',
        attempts: 1,
        reason: 'http_503',
      }),
    ]);
    const text = await dlq(['list']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('1 dead letter(s) in payments-dead-letter');
    expect(text.stdout).toMatch(new RegExp(`${orderId}\\s+19\\.99 USD\\s+1\\s+\\S+\\s+http_503`));

    processor.script('capture');
    const replay = await dlq(['replay', orderId, 'no-such-order']);
    expect(replay).toMatchObject({ code: 1, stderr: 'dlq: no dead letter for: no-such-order\n' });
    expect(replay.stdout).toBe(`Replayed 1 charge(s) into the payments queue: ${orderId}\n`);
    expect(await p.waitForStatus(orderId, (s) => s !== 'payment_failed')).toBe('paid');
    expect(await dlq(['list'])).toMatchObject({
      code: 0,
      stdout: 'No dead letters in payments-dead-letter.\n',
    });
    expect(await dlq(['replay', '--all'])).toMatchObject({ code: 0, stdout: 'Nothing replayed.\n' });
  });

  it('exits 2 on bad arguments and 3 when Redis is unreachable', async () => {
    const usage = await dlq(['replay']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('replay: give at least one order id, or --all');
    const down = await dlq(['list'], `redis://127.0.0.1:${await freePort()}`);
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(/cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
  });
});
