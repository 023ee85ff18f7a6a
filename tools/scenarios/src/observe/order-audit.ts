/** Order statuses that end the payment flow (`payment_failed` is final until a replay). */
export const finalOrderStatuses: readonly string[] = ['paid', 'payment_declined', 'payment_failed'];

/** Options of {@link auditOrders}. */
export interface OrderAuditOptions {
  /** Order service replicas (`GET /orders/:id`), used in turn. */
  readonly orderUrls: readonly string[];
  /** Payment service replicas (`GET /payments?orderId=`), used in turn. */
  readonly paymentUrls: readonly string[];
  /** Every order the load got a 202 for. */
  readonly orderIds: readonly string[];
  /** How long orders may take to reach a final status, in ms. */
  readonly settleTimeoutMs: number;
  /** Pause between polls of unsettled orders, in ms. @default 500 */
  readonly pollIntervalMs?: number;
  /** Requests in flight at once. @default 16 */
  readonly concurrency?: number;
  /** Statuses that count as settled. @default finalOrderStatuses */
  readonly settledStatuses?: readonly string[];
  /** Stops waiting for orders to settle (the run was stopped); the audit reports what it saw. */
  readonly signal?: AbortSignal;
}

/** What the audit found. An order counts once, in its last seen status. */
export interface OrderAudit {
  /** Orders audited (answered 202 to the load). */
  readonly created: number;
  /** Last seen status → orders (`paid`, `pending`, …; `missing` for a 404, `unreadable` when no answer). */
  readonly statuses: Readonly<Record<string, number>>;
  /** Orders not in a settled status when the time ran out (lost or stuck). */
  readonly unsettled: number;
  /** How long settling took, ms from the audit's start (the timeout when some never settled). */
  readonly settleMs: number;
  /** Orders with more than one captured payment. */
  readonly chargedTwice: number;
  /** `paid` orders without exactly one captured payment (0 or 2+). */
  readonly paidNotCapturedOnce: number;
  /** `payment_failed` or `payment_declined` orders with a captured payment. */
  readonly capturedButNotPaid: number;
  /** Up to five unsettled order ids with their status, for diagnosis. */
  readonly unsettledSample: readonly string[];
}

/**
 * Waits until every order reaches a settled status (or `settleTimeoutMs` passes), then counts
 * each order's captured payments at the payment service: the evidence for "nothing lost, never
 * charged twice".
 */
export async function auditOrders(options: OrderAuditOptions): Promise<OrderAudit> {
  const settled = new Set(options.settledStatuses ?? finalOrderStatuses);
  const started = performance.now();
  const interval = options.pollIntervalMs ?? 500;
  const concurrency = options.concurrency ?? 16;
  const status = new Map<string, string>();
  let pending = [...new Set(options.orderIds)];
  let turn = 0;
  const orderUrl = (): string => options.orderUrls[turn++ % options.orderUrls.length]!;
  for (;;) {
    await forEachLimited(pending, concurrency, async (id) => {
      status.set(id, await orderStatus(orderUrl(), id));
    });
    pending = pending.filter((id) => !settled.has(status.get(id)!));
    const timeUp = performance.now() - started >= options.settleTimeoutMs;
    if (pending.length === 0 || timeUp || options.signal?.aborted === true) break;
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
  const settleMs =
    pending.length === 0
      ? performance.now() - started
      : Math.min(performance.now() - started, options.settleTimeoutMs);

  let chargedTwice = 0;
  let paidNotCapturedOnce = 0;
  let capturedButNotPaid = 0;
  await forEachLimited([...status.keys()], concurrency, async (id) => {
    const captured = await capturedPayments(options.paymentUrls[turn++ % options.paymentUrls.length]!, id);
    const s = status.get(id);
    if (captured > 1) chargedTwice++;
    if (s === 'paid' && captured !== 1) paidNotCapturedOnce++;
    if ((s === 'payment_failed' || s === 'payment_declined') && captured > 0) capturedButNotPaid++;
  });

  const statuses: Record<string, number> = {};
  for (const s of status.values()) statuses[s] = (statuses[s] ?? 0) + 1;
  return {
    created: status.size,
    statuses,
    unsettled: pending.length,
    settleMs: Math.round(settleMs),
    chargedTwice,
    paidNotCapturedOnce,
    capturedButNotPaid,
    unsettledSample: pending.slice(0, 5).map((id) => `${id}:${status.get(id)}`),
  };
}

/** The order's status, `missing` for a 404, `unreadable` when no 200/404 came back. */
export async function orderStatus(baseUrl: string, id: string): Promise<string> {
  try {
    const response = await fetch(`${baseUrl}/orders/${encodeURIComponent(id)}`, {
      signal: AbortSignal.timeout(5_000),
    });
    if (response.status === 404) {
      await response.body?.cancel();
      return 'missing';
    }
    if (!response.ok) {
      await response.body?.cancel();
      return 'unreadable';
    }
    const order = (await response.json()) as { status?: unknown };
    return typeof order.status === 'string' ? order.status : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/**
 * Captured payments of an order; -1 when the payment service gave no answer in three tries
 * (counts as not captured once). A try that fails on the transport (a keep-alive connection the
 * server had just closed) is repeated.
 */
export async function capturedPayments(baseUrl: string, orderId: string): Promise<number> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const response = await fetch(`${baseUrl}/payments?orderId=${encodeURIComponent(orderId)}`, {
        signal: AbortSignal.timeout(5_000),
      });
      if (!response.ok) {
        await response.body?.cancel();
        continue;
      }
      const page = (await response.json()) as { items?: { status?: unknown }[] };
      return (page.items ?? []).filter((p) => p.status === 'captured').length;
    } catch {
      // try again
    }
  }
  return -1;
}

/** Runs `fn` over `items` with at most `limit` running at once. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
