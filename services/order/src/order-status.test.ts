import { describe, expect, it } from 'vitest';
import { canTransition } from './order-status.ts';
import type { OrderStatus } from './schemas.ts';

describe('canTransition', () => {
  it.each<[OrderStatus, OrderStatus]>([
    ['pending', 'paid'],
    ['pending', 'payment_declined'],
    ['pending', 'payment_failed'],
    ['payment_failed', 'paid'],
    ['payment_failed', 'payment_declined'],
  ])('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it.each<[OrderStatus, OrderStatus]>([
    ['paid', 'pending'],
    ['paid', 'payment_failed'],
    ['payment_declined', 'paid'],
    ['payment_failed', 'pending'],
    ['pending', 'pending'],
  ])('forbids %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });
});
