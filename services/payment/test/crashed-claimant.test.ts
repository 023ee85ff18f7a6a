import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { Redis } from 'ioredis';
import { afterEach, expect, it } from 'vitest';
import { isIdempotencyKeyInProgressError } from '../src/errors/idempotency-key-in-progress-error.ts';
import { countingProcessor } from '../src/processor/counting-processor.test-helper.ts';
import { PaymentRepository } from '../src/storage/payment-repository.ts';

const redis = useRedisServer();
const fixture = fileURLToPath(new URL('./fixtures/claim-and-hang.ts', import.meta.url));
const children: ChildProcess[] = [];
const clients: Redis[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await Promise.all(clients.splice(0).map((c) => c.quit()));
});

function startClaimant(key: string, leaseMs: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [fixture], {
    env: { ...process.env, REDIS_URL: redis.url, IDEMPOTENCY_KEY: key, LEASE_MS: String(leaseMs) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`claimant exited early with ${code}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('claimed')) resolve(child);
    });
  });
}

function repository(waitTimeoutMs: number): PaymentRepository {
  const client = new Redis(redis.url);
  client.on('error', () => {});
  clients.push(client);
  return new PaymentRepository({ redis: client, waitTimeoutMs, pollIntervalMs: 20 });
}

const input = { idempotencyKey: 'crash-1', orderId: 'order-crash', amountCents: 100, currency: 'EUR' };

it('blocks duplicates while a live claimant renews its lease, and lets a retry charge once it was SIGKILLed', async () => {
  const claimant = await startClaimant(input.idempotencyKey, 1000);
  const processor = countingProcessor();

  // Alive: the 1 s lease is renewed every 333 ms, so a duplicate waiting 2.5 s still finds it in progress.
  const blocked: unknown = await repository(2500)
    .charge(input, processor)
    .catch((e: unknown) => e);
  expect(isIdempotencyKeyInProgressError(blocked)).toBe(true);

  claimant.kill('SIGKILL');
  await once(claimant, 'exit');

  // Crashed: the lease lapses within 1 s and the retry claims the key and charges.
  const retry = await repository(10_000).charge(input, processor);
  expect(retry.replayed).toBe(false);
  expect(retry.payment).toMatchObject({ orderId: 'order-crash', status: 'captured' });
  expect(processor.calls).toHaveLength(1);
});
