import { createHash } from 'node:crypto';
import { defineLuaScript, uuidV7, type LuaScript, type RedisClient } from '@shipshape/service-kit';
import { IdempotencyKeyReusedError } from '@shipshape/service-kit';
import { InvalidStatusTransitionError } from '../errors/invalid-status-transition-error.ts';
import { canTransition } from '../order-status.ts';
import { computeTotalCents, maxOrderTotalCents } from '../order-total.ts';
import type { CreateOrderBody, Order, OrderItem, OrderStatus } from '../schemas.ts';
import { orderKeyLayout, type OrderKeyLayout } from './keys.ts';
import { createOrderIdempotentLua, createOrderLua, setStatusLua } from './order-scripts.ts';
import type { PaymentJob } from './payment-job.ts';

/** Options of {@link OrderRepository}. */
export interface OrderRepositoryOptions {
  /** The connection; the repository registers its Lua scripts on it and never closes it. */
  redis: RedisClient;
  /**
   * Where the keys live.
   * @default orderKeyLayout(redis): partitioned on an ioredis `Cluster`, the one-node layout else
   */
  layout?: OrderKeyLayout;
  /**
   * The clock, in ms since the epoch; stamps `createdAt` and the time part of ids.
   * @default Date.now
   */
  now?: () => number;
  /**
   * ISO 4217 currency of every order (the contract's order body has none), passed to payment.
   * @default 'USD'
   */
  currency?: string;
  /**
   * Largest accepted order total, in minor units.
   * @default 10_000_000_000 (the payment service's largest chargeable amount)
   */
  maxTotalCents?: number;
  /**
   * How long an Idempotency-Key keeps answering with its order, in ms, from the order's creation;
   * 0 keeps it forever. At most `orderRetentionMs` (unless that is 0): the record then always
   * expires before its order, which outlives its creation by at least that long.
   * @default 86_400_000 (24 hours, Stripe's window)
   */
  idempotencyRetentionMs?: number;
  /**
   * How long an order is kept once it needs no more work (`paid`, `payment_declined`), in ms;
   * 0 keeps it forever. Pending and `payment_failed` orders never expire.
   * @default 604_800_000 (7 days)
   */
  orderRetentionMs?: number;
}

/** Arguments of {@link OrderRepository.createOrder}. */
export interface CreateOrderInput extends CreateOrderBody {
  /** The optional `Idempotency-Key` header. */
  readonly idempotencyKey?: string | undefined;
  /** W3C trace context to carry with the payment job. */
  readonly traceContext?: Readonly<Record<string, string>> | undefined;
}

/** The result of {@link OrderRepository.createOrder}. */
export interface CreateOrderResult {
  readonly order: Order;
  /** True when an earlier request with the same Idempotency-Key created this order. */
  readonly replayed: boolean;
}

/** The result of {@link OrderRepository.setOrderStatus}. */
export type SetOrderStatusResult =
  | { readonly outcome: 'updated'; readonly order: Order }
  /** The order was not in the expected status; `order` shows the status it has. */
  | { readonly outcome: 'conflict'; readonly order: Order }
  | { readonly outcome: 'not_found' };

const defaults = {
  now: Date.now,
  currency: 'USD',
  maxTotalCents: maxOrderTotalCents,
  idempotencyRetentionMs: 24 * 60 * 60 * 1000,
  orderRetentionMs: 7 * 24 * 60 * 60 * 1000,
} satisfies Partial<OrderRepositoryOptions>;

/** Statuses after which an order needs nothing more; it expires `orderRetentionMs` later. */
const finished: ReadonlySet<OrderStatus> = new Set(['paid', 'payment_declined']);

/** The immutable part of an order, stored as JSON next to the mutable `status`. */
type OrderData = Omit<Order, 'status'>;

/** SHA-256 of the body in a fixed field order, so equal bodies hash equally whatever their key order. */
export function orderRequestHash(body: CreateOrderBody): string {
  const items = body.items.map((item) => [item.sku, item.quantity, item.unitPriceCents]);
  return createHash('sha256')
    .update(JSON.stringify([body.userId, items]))
    .digest('hex');
}

const toOrder = (data: string, status: string): Order => ({
  ...(JSON.parse(data) as OrderData),
  status: status as OrderStatus,
});

/**
 * Orders in Redis. `createOrder` stores the order `pending` and appends its payment job to the
 * outbox stream of its partition in one Lua script (the transactional outbox): the order and its job can
 * never exist one without the other. An {@link OutboxRelay} then moves entries into BullMQ.
 */
export class OrderRepository {
  readonly #redis: RedisClient;
  readonly #keys: OrderKeyLayout;
  readonly #options: Required<Omit<OrderRepositoryOptions, 'redis' | 'layout'>>;
  readonly #create: LuaScript;
  readonly #createIdempotent: LuaScript;
  readonly #setStatus: LuaScript;

  constructor(options: OrderRepositoryOptions) {
    const { redis, layout, ...rest } = { ...defaults, ...options };
    if (!/^[A-Z]{3}$/.test(rest.currency))
      throw new RangeError(`currency must be an ISO 4217 code, got "${rest.currency}"`);
    if (!Number.isSafeInteger(rest.maxTotalCents) || rest.maxTotalCents < 0) {
      throw new RangeError(`maxTotalCents must be a non-negative safe integer, got ${rest.maxTotalCents}`);
    }
    for (const name of ['idempotencyRetentionMs', 'orderRetentionMs'] as const) {
      if (!Number.isSafeInteger(rest[name]) || rest[name] < 0) {
        throw new RangeError(`${name} must be an integer number of ms >= 0, got ${rest[name]}`);
      }
    }
    const { idempotencyRetentionMs: idem, orderRetentionMs: order } = rest;
    if (order > 0 && (idem === 0 || idem > order)) {
      throw new RangeError(
        `idempotencyRetentionMs must be in (0, orderRetentionMs = ${order}] so a key never outlives its order, got ${idem}`,
      );
    }
    this.#redis = redis;
    this.#keys = layout ?? orderKeyLayout(redis);
    this.#options = rest;
    this.#create = defineLuaScript(redis, 'shipshapeOrderCreate', 2, createOrderLua);
    this.#createIdempotent = defineLuaScript(
      redis,
      'shipshapeOrderCreateIdempotent',
      3,
      createOrderIdempotentLua,
    );
    this.#setStatus = defineLuaScript(redis, 'shipshapeOrderSetStatus', 1, setStatusLua);
  }

  /**
   * Stores a new `pending` order with its payment job in the outbox, atomically. The total is
   * computed here, in integer cents.
   * @throws {IdempotencyKeyReusedError} the key was first used with a different body.
   * @throws {RangeError} the total is over `maxTotalCents` (the request schema rejects it first).
   */
  async createOrder(input: CreateOrderInput): Promise<CreateOrderResult> {
    const items: OrderItem[] = input.items.map(({ sku, quantity, unitPriceCents }) => ({
      sku,
      quantity,
      unitPriceCents,
    }));
    const totalCents = computeTotalCents(items, this.#options.maxTotalCents);
    const nowMs = this.#options.now();
    // On a cluster the order lives in its Idempotency-Key's partition (one slot, one script).
    const partition =
      input.idempotencyKey === undefined
        ? undefined
        : this.#keys.partitionOfIdempotencyKey(input.idempotencyKey);
    const id = uuidV7(nowMs);
    const data: OrderData = {
      id: partition === undefined ? id : this.#keys.orderIdIn(id, partition),
      userId: input.userId,
      items,
      totalCents,
      createdAt: new Date(nowMs).toISOString(),
    };
    const job: PaymentJob = {
      orderId: data.id,
      amountCents: totalCents,
      currency: this.#options.currency,
      ...(input.traceContext ? { traceContext: input.traceContext } : {}),
    };
    const args = [data.id, JSON.stringify(data), JSON.stringify(job)];
    const order: Order = { ...data, status: 'pending' };
    if (input.idempotencyKey === undefined) {
      const keys = this.#keys;
      await this.#create([keys.order(data.id), keys.outbox(keys.partitionOfOrder(data.id))], args);
      return { order, replayed: false };
    }
    const [state, existingId] = (await this.#createIdempotent(
      [
        this.#keys.order(data.id),
        this.#keys.outbox(partition!),
        this.#keys.idempotency(input.idempotencyKey),
      ],
      [...args, orderRequestHash(input), this.#options.idempotencyRetentionMs],
    )) as [string, string?];
    if (state === 'mismatch') throw new IdempotencyKeyReusedError(input.idempotencyKey);
    if (state === 'existing') {
      const existing = await this.getOrder(existingId!);
      if (!existing)
        throw new Error(`idempotency record points at order ${existingId}, which does not exist`);
      return { order: existing, replayed: true };
    }
    return { order, replayed: false };
  }

  /** The order with `id`, or undefined. */
  async getOrder(id: string): Promise<Order | undefined> {
    const [data, status] = await this.#redis.hmget(this.#keys.order(id), 'data', 'status');
    return data == null || status == null ? undefined : toOrder(data, status);
  }

  /**
   * Moves the order from `from` to `to` only if it is in `from` now (compare-and-set, one Lua
   * script), so two workers racing on one order cannot both apply an outcome. Moving to `paid`
   * or `payment_declined` starts the order's retention (`orderRetentionMs`).
   * @throws {InvalidStatusTransitionError} the lifecycle has no `from` → `to` (checked before Redis).
   */
  async setOrderStatus(id: string, from: OrderStatus, to: OrderStatus): Promise<SetOrderStatusResult> {
    if (!canTransition(from, to)) throw new InvalidStatusTransitionError(from, to);
    const retentionMs = finished.has(to) ? this.#options.orderRetentionMs : 0;
    const [outcome, data, status] = (await this.#setStatus(
      [this.#keys.order(id)],
      [from, to, retentionMs],
    )) as [string, string?, string?];
    if (outcome === 'not_found') return { outcome };
    return { outcome: outcome as 'updated' | 'conflict', order: toOrder(data!, status!) };
  }
}
