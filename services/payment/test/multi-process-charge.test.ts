import { runRedisFixtureProcesses, useRedisClients } from '@shipshape/service-kit/testing';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { expect, it } from 'vitest';
import { PaymentRepository } from '../src/storage/payment-repository.ts';

const redis = useRedisServer();
const connect = useRedisClients(() => redis.url);
const fixture = new URL('./fixtures/charge-concurrently.ts', import.meta.url);

interface Report {
  processorCalls: number;
  paymentIds: string[];
  fresh: number;
}

it('makes exactly one processor call for 20 concurrent duplicates spread over 4 processes', async () => {
  const reports = await runRedisFixtureProcesses<Report>(fixture, redis.url, {
    processes: 4,
    connections: 5,
  });
  expect(reports.reduce((sum, r) => sum + r.processorCalls, 0)).toBe(1);
  expect(reports.reduce((sum, r) => sum + r.fresh, 0)).toBe(1);
  expect(new Set(reports.flatMap((r) => r.paymentIds)).size).toBe(1);
  expect(await new PaymentRepository({ redis: connect() }).listPaymentsByOrder('order-mp')).toHaveLength(1);
});
