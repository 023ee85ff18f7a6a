import type { OrderStatus } from './schemas.ts';

/**
 * The allowed status transitions. `pending` ends in one of the three outcomes. `payment_failed`
 * (attempts exhausted, job in the dead-letter queue) may still end `paid` or `payment_declined`
 * when the dead letter is replayed. `paid` and `payment_declined` are final.
 */
export const orderTransitions: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['paid', 'payment_declined', 'payment_failed'],
  payment_failed: ['paid', 'payment_declined'],
  paid: [],
  payment_declined: [],
};

/** True when the lifecycle allows `from` → `to`. */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return orderTransitions[from].includes(to);
}
