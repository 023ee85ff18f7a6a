import type { IdPool } from './id-pool.ts';
import type { PlannedRequest, RequestKind } from './mix.ts';

/** Which service a request goes to. */
export type ServiceName = 'user' | 'order' | 'payment';

/** The service each kind of request goes to. */
export const serviceOfKind: Readonly<Record<RequestKind, ServiceName>> = {
  'create-user': 'user',
  'create-order': 'order',
  'read-order': 'order',
  'list-payments': 'payment',
};

/** A concrete HTTP request, ready for the driver. */
export interface HttpRequestSpec {
  /** The kind actually sent (may differ from the plan, see {@link buildRequest}). */
  readonly kind: RequestKind;
  readonly service: ServiceName;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Whether the driver should parse the response body (to learn a created id). */
  readonly wantBody: boolean;
}

/** The ids a run has seen so far. */
export interface KnownIds {
  readonly users: IdPool;
  readonly orders: IdPool;
}

/**
 * Turns a planned request into HTTP per the contract. A request that needs an id nobody has
 * created yet falls back to the request that creates one: create-order without users becomes
 * create-user, read-order and list-payments without orders become create-order (or create-user).
 * Only the first moments of a run fall back; the summary counts what was actually sent.
 */
export function buildRequest(plan: PlannedRequest, ids: KnownIds, requestIdPrefix: string): HttpRequestSpec {
  const headers: Record<string, string> = { 'x-request-id': `${requestIdPrefix}-${plan.index}` };
  const userId = ids.users.pick(plan.pick);
  const orderId = ids.orders.pick(plan.pick);
  let kind = plan.kind;
  if ((kind === 'read-order' || kind === 'list-payments') && orderId === undefined) {
    kind = 'create-order';
  }
  if (kind === 'create-order' && userId === undefined) kind = 'create-user';

  switch (kind) {
    case 'create-user':
      return {
        kind,
        service: serviceOfKind[kind],
        method: 'POST',
        path: '/users',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(plan.user),
        wantBody: true,
      };
    case 'create-order':
      return {
        kind,
        service: serviceOfKind[kind],
        method: 'POST',
        path: '/orders',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'idempotency-key': plan.order.idempotencyKey,
        },
        body: JSON.stringify({ userId, items: plan.order.items }),
        wantBody: true,
      };
    case 'read-order':
      return {
        kind,
        service: serviceOfKind[kind],
        method: 'GET',
        path: `/orders/${encodeURIComponent(orderId!)}`,
        headers,
        wantBody: false,
      };
    case 'list-payments':
      return {
        kind,
        service: serviceOfKind[kind],
        method: 'GET',
        path: `/payments?orderId=${encodeURIComponent(orderId!)}`,
        headers,
        wantBody: false,
      };
  }
}
