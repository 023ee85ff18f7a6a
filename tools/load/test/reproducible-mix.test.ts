import { afterEach, expect, it } from 'vitest';
import { runLoad } from '../src/run-load.ts';
import { startFakeServices, type FakeServices, type SeenRequest } from './fixtures/fake-services.ts';
import { targetsFor } from './fixtures/targets-for.ts';

const opened: FakeServices[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

/**
 * Runs 30 requests with a seed against fresh fake services; returns what they received, by
 * request id, with the ids the services assigned masked: which earlier user or order a request
 * refers to depends on which responses had arrived, the rest is fixed by the seed.
 */
async function seenWithSeed(seed: number): Promise<Map<string, Omit<SeenRequest, 'atMs'>>> {
  const services = await startFakeServices();
  opened.push(services);
  await runLoad({ targets: targetsFor(services.url), profile: { rate: 10, durationMs: 3000 }, seed });
  return new Map(
    services.seen.map(({ atMs: _atMs, ...request }) => [
      request.requestId,
      {
        ...request,
        path: request.path.replace(/\/o\d+$/, '/:id'),
        body: request.body.replace(/"userId":"u\d+"/, '"userId":":id"'),
      },
    ]),
  );
}

it('sends the same request kinds and bodies for the same seed', async () => {
  const first = await seenWithSeed(42);
  const second = await seenWithSeed(42);

  expect(first.size).toBe(30);
  expect([...second.entries()].sort()).toEqual([...first.entries()].sort());
  const kinds = new Set([...first.values()].map((r) => `${r.method} ${r.path}`));
  expect(kinds).toEqual(new Set(['POST /users', 'POST /orders', 'GET /orders/:id']));
  const order = [...first.values()].find((r) => r.path === '/orders')!;
  expect(order.idempotencyKey).toMatch(/^load-0000002a-\d+-/);
  const body = JSON.parse(order.body) as { userId: string; items: unknown[] };
  expect(body.userId).toBe(':id');
  expect(body.items.length).toBeGreaterThanOrEqual(1);
}, 30_000);

it('sends different bodies for a different seed', async () => {
  const a = [...(await seenWithSeed(42)).values()].map((r) => r.body);
  const b = [...(await seenWithSeed(43)).values()].map((r) => r.body);
  expect(b).not.toEqual(a);
}, 30_000);
