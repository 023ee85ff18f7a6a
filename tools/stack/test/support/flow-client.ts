import { randomUUID } from 'node:crypto';
import type { Stack } from '../../src/index.ts';

/** An order as `GET /orders/:id` returns it (the fields the tests read). */
export interface OrderView {
  readonly id: string;
  readonly status: string;
  readonly totalCents: number;
}

/** A payment as `GET /payments?orderId=` lists it. */
export interface PaymentView {
  readonly id: string;
  readonly orderId: string;
  readonly status: string;
  readonly amountCents: number;
}

const json = { 'content-type': 'application/json' };

/** `POST /users` → the new user's id (fails the test on anything but 201). */
export async function createUser(stack: Stack, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${stack.url('user')}/users`, {
    method: 'POST',
    headers: { ...json, ...headers },
    body: JSON.stringify({ email: `e2e-${randomUUID()}@example.test`, name: 'E2E' }),
  });
  const body = (await response.json()) as { id: string };
  if (response.status !== 201)
    throw new Error(`POST /users answered ${response.status}: ${JSON.stringify(body)}`);
  return body.id;
}

/** The answer to one `POST /orders`: the status, and the order when it was accepted (202). */
export interface OrderAnswer {
  readonly status: number | 'error';
  readonly order?: OrderView;
}

/** `POST /orders` with an `Idempotency-Key`; a transport failure is `status: 'error'`. */
export async function postOrder(
  baseUrl: string,
  userId: string,
  options: { key?: string; headers?: Record<string, string> } = {},
): Promise<OrderAnswer> {
  try {
    const response = await fetch(`${baseUrl}/orders`, {
      method: 'POST',
      headers: { ...json, 'idempotency-key': options.key ?? randomUUID(), ...options.headers },
      body: JSON.stringify({ userId, items: [{ sku: 'SKU-1', quantity: 2, unitPriceCents: 1250 }] }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json()) as OrderView;
    return response.status === 202 ? { status: 202, order: body } : { status: response.status };
  } catch {
    return { status: 'error' };
  }
}

/** `GET /orders/:id`. */
export async function getOrder(stack: Stack, id: string): Promise<OrderView> {
  const response = await fetch(`${stack.url('order')}/orders/${id}`);
  if (response.status !== 200) throw new Error(`GET /orders/${id} answered ${response.status}`);
  return (await response.json()) as OrderView;
}

/** `GET /payments?orderId=`: the payments stored for one order. */
export async function paymentsOf(stack: Stack, orderId: string): Promise<PaymentView[]> {
  const response = await fetch(`${stack.url('payment')}/payments?orderId=${orderId}`);
  if (response.status !== 200)
    throw new Error(`GET /payments?orderId=${orderId} answered ${response.status}`);
  return ((await response.json()) as { items: PaymentView[] }).items;
}

/**
 * Polls `GET /orders/:id` of every order until each has one of `statuses`; returns the last
 * status of every order (so an assertion can show the ones that did not get there).
 */
export async function waitForStatuses(
  stack: Stack,
  ids: readonly string[],
  statuses: readonly string[],
  timeoutMs: number,
): Promise<Map<string, string>> {
  const last = new Map<string, string>();
  const deadline = Date.now() + timeoutMs;
  let pending = [...ids];
  while (pending.length > 0 && Date.now() < deadline) {
    const views = await Promise.all(pending.map((id) => getOrder(stack, id).catch(() => undefined)));
    views.forEach((view, i) => view && last.set(pending[i] ?? '', view.status));
    pending = pending.filter((id) => !statuses.includes(last.get(id) ?? ''));
    if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return last;
}

/** Counts the values of a status map: `{ paid: 120, pending: 2 }`. */
export function countStatuses(statuses: ReadonlyMap<string, string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const status of statuses.values()) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/**
 * For every order, how many captured payments the payment service holds; returns the orders
 * that do not have exactly one (an empty object when each was charged exactly once).
 */
export async function ordersNotChargedOnce(
  stack: Stack,
  ids: readonly string[],
): Promise<Record<string, number>> {
  const wrong: Record<string, number> = {};
  for (let i = 0; i < ids.length; i += 20) {
    const batch = ids.slice(i, i + 20);
    const lists = await Promise.all(batch.map((id) => paymentsOf(stack, id)));
    lists.forEach((payments, j) => {
      const captured = payments.filter((p) => p.status === 'captured').length;
      if (captured !== 1 || payments.length !== 1) wrong[batch[j] ?? ''] = payments.length;
    });
  }
  return wrong;
}
