import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { defineLuaScript, uuidV7, type LuaScript, type RedisClient } from '@shipshape/service-kit';
import { IdempotencyKeyInProgressError } from '../errors/idempotency-key-in-progress-error.ts';
import { IdempotencyKeyReusedError } from '@shipshape/service-kit';
import {
  isProcessorUnavailableError,
  ProcessorUnavailableError,
} from '../errors/processor-unavailable-error.ts';
import type { ChargeOutcome, PaymentProcessor } from '../processor/payment-processor.ts';
import type { CreatePaymentBody, Payment } from '../schemas.ts';
import { claimLua, completeLua, releaseLua, renewLua } from './idempotency-scripts.ts';
import { paymentKeyLayout, type PaymentKeyLayout } from './keys.ts';

/** Options of {@link PaymentRepository}. */
export interface PaymentRepositoryOptions {
  /** The connection; the repository registers its Lua scripts on it and never closes it. */
  redis: RedisClient;
  /**
   * Where the keys live.
   * @default paymentKeyLayout(redis): partitioned on an ioredis `Cluster`, the one-node layout else
   */
  layout?: PaymentKeyLayout;
  /**
   * The clock, in ms since the epoch; stamps `createdAt` and the time part of ids.
   * @default Date.now
   */
  now?: () => number;
  /**
   * How long a claim on an Idempotency-Key lives without renewal, in ms. The claimant renews it
   * every `leaseMs / 3` while its processor call runs, so only a crashed claimant lets it lapse;
   * a retry can then charge. Keep it well above the processor's timeout.
   * @default 30_000
   */
  leaseMs?: number;
  /**
   * How long a request waits for a concurrent request with the same key to finish, in ms, before
   * failing with {@link IdempotencyKeyInProgressError}.
   * @default 10_000
   */
  waitTimeoutMs?: number;
  /**
   * Interval between checks while waiting for a concurrent request with the same key, in ms.
   * @default 25
   */
  pollIntervalMs?: number;
  /**
   * How long a finished key keeps answering with its payment, in ms; 0 keeps it forever.
   * Must outlive every retry of the caller (the order service's queue retries, minutes; a
   * dead-letter replay should come within it too). At most `paymentRetentionMs` (unless that is
   * 0): written together, the key then always expires before its payment.
   * @default 86_400_000 (24 hours, Stripe's window)
   */
  idempotencyRetentionMs?: number;
  /**
   * How long a payment (and its order's payment list) is kept after it was stored, in ms; 0
   * keeps it forever.
   * @default 604_800_000 (7 days)
   */
  paymentRetentionMs?: number;
}

/** Arguments of {@link PaymentRepository.charge}. */
export interface ChargeInput extends CreatePaymentBody {
  /** The `Idempotency-Key` header. */
  readonly idempotencyKey: string;
}

/** The result of {@link PaymentRepository.charge}. */
export interface ChargeResult {
  readonly payment: Payment;
  /** True when an earlier request with the same key made this payment (HTTP 200, not 201). */
  readonly replayed: boolean;
}

const defaults = {
  now: Date.now,
  leaseMs: 30_000,
  waitTimeoutMs: 10_000,
  pollIntervalMs: 25,
  idempotencyRetentionMs: 24 * 60 * 60 * 1000,
  paymentRetentionMs: 7 * 24 * 60 * 60 * 1000,
} satisfies Partial<PaymentRepositoryOptions>;

/** SHA-256 of the body in a fixed field order, so equal bodies hash equally whatever their key order. */
export function requestHash(body: CreatePaymentBody): string {
  const canonical = JSON.stringify([body.orderId, body.amountCents, body.currency]);
  return createHash('sha256').update(canonical).digest('hex');
}

function checkPositive(name: string, value: number, allowZero = false): void {
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new RangeError(`${name} must be a finite number ${allowZero ? '>= 0' : '> 0'}, got ${value}`);
  }
}

/**
 * Payments in Redis, charged at most once per Idempotency-Key.
 *
 * A request first claims the key (one Lua script: absent → pending with this request's token
 * and a lease). Only the claimant calls the processor, so concurrent duplicates make exactly one
 * charge; they poll until the claimant stores the payment and answer it as a replay. The payment,
 * its order index and the `done` mark are written by one script. A transient processor failure
 * releases the key and stores nothing, so a retry can charge.
 */
export class PaymentRepository {
  readonly #redis: RedisClient;
  readonly #keys: PaymentKeyLayout;
  readonly #options: Required<Omit<PaymentRepositoryOptions, 'redis' | 'layout'>>;
  readonly #claim: LuaScript;
  readonly #complete: LuaScript;
  readonly #release: LuaScript;
  readonly #renew: LuaScript;

  constructor(options: PaymentRepositoryOptions) {
    const { redis, layout, ...rest } = { ...defaults, ...options };
    checkPositive('leaseMs', rest.leaseMs);
    checkPositive('waitTimeoutMs', rest.waitTimeoutMs, true);
    checkPositive('pollIntervalMs', rest.pollIntervalMs);
    checkPositive('idempotencyRetentionMs', rest.idempotencyRetentionMs, true);
    checkPositive('paymentRetentionMs', rest.paymentRetentionMs, true);
    const { idempotencyRetentionMs: idem, paymentRetentionMs: kept } = rest;
    if (kept > 0 && (idem === 0 || idem > kept)) {
      throw new RangeError(
        `idempotencyRetentionMs must be in (0, paymentRetentionMs = ${kept}] so a key never outlives its payment, got ${idem}`,
      );
    }
    this.#redis = redis;
    this.#keys = layout ?? paymentKeyLayout(redis);
    this.#options = rest;
    this.#claim = defineLuaScript(redis, 'shipshapePaymentClaim', 1, claimLua);
    this.#complete = defineLuaScript(redis, 'shipshapePaymentComplete', 3, completeLua);
    this.#release = defineLuaScript(redis, 'shipshapePaymentRelease', 1, releaseLua);
    this.#renew = defineLuaScript(redis, 'shipshapePaymentRenew', 1, renewLua);
  }

  /**
   * Charges once per Idempotency-Key and stores the outcome (captured or declined).
   * @throws {IdempotencyKeyReusedError} the key was used with a different body.
   * @throws {IdempotencyKeyInProgressError} a concurrent request with the key outlived `waitTimeoutMs`.
   * @throws {ProcessorUnavailableError} transient processor failure; nothing stored, key released.
   */
  async charge(input: ChargeInput, processor: PaymentProcessor, signal?: AbortSignal): Promise<ChargeResult> {
    const { idempotencyKey, orderId, amountCents, currency } = input;
    const hash = requestHash({ orderId, amountCents, currency });
    const key = this.#keys.idempotency(idempotencyKey);
    const token = randomUUID();
    const startedMs = Date.now();
    for (;;) {
      signal?.throwIfAborted();
      const [state, paymentId] = (await this.#claim([key], [hash, token, this.#options.leaseMs])) as [
        string,
        string?,
      ];
      if (state === 'mismatch') throw new IdempotencyKeyReusedError(idempotencyKey);
      if (state === 'done') return { payment: await this.#mustGet(paymentId!), replayed: true };
      if (state === 'claimed') return this.#chargeAsClaimant(input, hash, token, processor, signal);
      const waitedMs = Date.now() - startedMs;
      if (waitedMs >= this.#options.waitTimeoutMs)
        throw new IdempotencyKeyInProgressError(idempotencyKey, waitedMs);
      await sleep(this.#options.pollIntervalMs, undefined, signal ? { signal } : {});
    }
  }

  async #chargeAsClaimant(
    input: ChargeInput,
    hash: string,
    token: string,
    processor: PaymentProcessor,
    signal: AbortSignal | undefined,
  ): Promise<ChargeResult> {
    const key = this.#keys.idempotency(input.idempotencyKey);
    const { leaseMs } = this.#options;
    const renewal = setInterval(() => {
      this.#renew([key], [token, leaseMs]).catch(() => undefined);
    }, leaseMs / 3);
    renewal.unref();
    let outcome: ChargeOutcome;
    try {
      outcome = await processor.charge(
        {
          idempotencyKey: input.idempotencyKey,
          orderId: input.orderId,
          amountCents: input.amountCents,
          currency: input.currency,
        },
        signal,
      );
    } catch (error) {
      // A rejecting processor charged nothing (its contract): free the key so a retry can charge.
      await this.#release([key], [token]).catch(() => undefined);
      // The caller's own deadline or cancellation is not a processor failure: surface its reason.
      if (signal?.aborted) throw signal.reason;
      throw isProcessorUnavailableError(error)
        ? error
        : new ProcessorUnavailableError(undefined, { cause: error });
    } finally {
      clearInterval(renewal);
    }
    const nowMs = this.#options.now();
    const partition = this.#keys.partitionOfIdempotencyKey(input.idempotencyKey);
    const payment: Payment = {
      id: this.#keys.paymentIdIn(uuidV7(nowMs), partition),
      orderId: input.orderId,
      amountCents: input.amountCents,
      currency: input.currency,
      status: outcome.status,
      createdAt: new Date(nowMs).toISOString(),
    };
    // If storing fails the key stays pending until its lease ends: releasing it now would invite
    // a second charge for money the processor already took.
    const [state, existingId] = (await this.#complete(
      [key, this.#keys.payment(payment.id), this.#keys.orderPayments(payment.orderId, partition)],
      [
        hash,
        payment.id,
        JSON.stringify(payment),
        this.#options.idempotencyRetentionMs,
        this.#options.paymentRetentionMs,
      ],
    )) as [string, string?];
    if (state === 'done') return { payment: await this.#mustGet(existingId!), replayed: true };
    return { payment, replayed: false };
  }

  /** The payment with `id`, or undefined. */
  async getPayment(id: string): Promise<Payment | undefined> {
    const raw = await this.#redis.get(this.#keys.payment(id));
    return raw === null ? undefined : (JSON.parse(raw) as Payment);
  }

  /**
   * Every payment of an order, oldest first (empty for an unknown order). On a cluster: each
   * partition's index and one MGET per partition (one slot each), merged by id (= by creation).
   */
  async listPaymentsByOrder(orderId: string): Promise<Payment[]> {
    const keys = this.#keys;
    const groups = await Promise.all(
      Array.from({ length: keys.partitions }, async (_, partition) => {
        const ids = await this.#redis.zrange(keys.orderPayments(orderId, partition), '-', '+', 'BYLEX');
        return ids.length === 0 ? [] : this.#redis.mget(ids.map((id) => keys.payment(id)));
      }),
    );
    return groups
      .flat()
      .filter((raw): raw is string => raw !== null)
      .map((raw) => JSON.parse(raw) as Payment)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async #mustGet(id: string): Promise<Payment> {
    const payment = await this.getPayment(id);
    // The done mark and the payment are written by one script, so this means outside tampering.
    if (!payment) throw new Error(`idempotency record points at payment ${id}, which does not exist`);
    return payment;
  }
}
