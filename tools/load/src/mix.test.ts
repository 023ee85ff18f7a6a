import { describe, expect, it } from 'vitest';
import { parseMix, RequestPlanner, type PlannedRequest } from './mix.ts';

const plan = (seed: number, count: number, weights?: Parameters<typeof parseMix>[0]): PlannedRequest[] => {
  const planner = new RequestPlanner(seed, weights === undefined ? undefined : parseMix(weights));
  return Array.from({ length: count }, () => planner.next());
};

describe('RequestPlanner', () => {
  it('gives the same kinds and bodies for the same seed', () => {
    expect(plan(42, 1000)).toEqual(plan(42, 1000));
  });

  it('gives a different sequence for a different seed', () => {
    const a = plan(42, 100).map((p) => p.kind + p.user.email);
    const b = plan(43, 100).map((p) => p.kind + p.user.email);
    expect(a).not.toEqual(b);
  });

  it('follows the weights of the mix', () => {
    const counts = new Map<string, number>();
    for (const p of plan(7, 10_000, 'create-user=1,read-order=3'))
      counts.set(p.kind, (counts.get(p.kind) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(['create-user', 'read-order']);
    expect(counts.get('read-order')! / 10_000).toBeGreaterThan(0.73);
    expect(counts.get('read-order')! / 10_000).toBeLessThan(0.77);
  });

  it('generates orders with integer cents and 1 to 3 items', () => {
    for (const p of plan(9, 500)) {
      expect(p.order.items.length).toBeGreaterThanOrEqual(1);
      expect(p.order.items.length).toBeLessThanOrEqual(3);
      for (const item of p.order.items) {
        expect(Number.isInteger(item.unitPriceCents)).toBe(true);
        expect(item.quantity).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('generates unique emails and idempotency keys within a run', () => {
    const plans = plan(11, 5000);
    expect(new Set(plans.map((p) => p.user.email)).size).toBe(5000);
    expect(new Set(plans.map((p) => p.order.idempotencyKey)).size).toBe(5000);
  });
});

describe('parseMix', () => {
  it('reads kind=weight pairs', () => {
    expect(parseMix('create-user=1, read-order=2.5')).toEqual({ 'create-user': 1, 'read-order': 2.5 });
  });

  it('names an unknown kind', () => {
    expect(() => parseMix('delete-user=1')).toThrow(
      'mix kind must be one of create-user, create-order, read-order, list-payments, got "delete-user"',
    );
  });

  it('refuses a mix without any weight', () => {
    expect(() => new RequestPlanner(1, parseMix('create-user=0'))).toThrow(
      'mix must give at least one kind a weight > 0',
    );
  });
});
