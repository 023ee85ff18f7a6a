/**
 * The payment service's configuration schema (`@shipshape/config`). Every key can be set by the
 * JSON file, a ConfigMap/Secret directory, an env var (`CHAOS__ERROR_RATE`) or, at runtime, a
 * Redis override (`npm run chaos -- payment errorRate=0.5` reaches every replica).
 */
import { duration } from '@shipshape/config';
import {
  chaosConfigShape,
  dayMs,
  idempotencyKeyWithin,
  retentionMs,
  serviceConfigShape,
  serviceStaticConfigKeys,
} from '@shipshape/service-kit';
import * as z from 'zod';

/** The configuration schema: the keys every service has (`port`, `redisUrl`, `http.*`, `rateLimit.*`) and the payment ones. */
const day = dayMs;
const keyWithinPayment = idempotencyKeyWithin('paymentMs');

export const configSchema = z.object({
  ...serviceConfigShape({ port: 3003 }),
  /** How long each Redis key pattern lives (README "Retention"). Static. */
  retention: z
    .object({
      /**
       * How long a payment and its order's payment list are kept after it was stored, in ms;
       * 0 keeps them forever.
       * @default 604_800_000 (7 days)
       */
      paymentMs: retentionMs(7 * day),
      /**
       * How long an `Idempotency-Key` keeps answering with its payment, in ms; at most
       * `paymentMs` (unless that is 0), so a key never outlives its payment.
       * @default 86_400_000 (24 hours: Stripe's window)
       */
      idempotencyKeyMs: retentionMs(day),
    })
    .refine(keyWithinPayment.check, keyWithinPayment.params)
    .prefault({}),
  processor: z
    .object({
      /**
       * How long the simulated processor's ledger remembers a charge by its Idempotency-Key, in
       * ms (a real processor keeps keys about a day). It guards the capture a replica killed
       * before storing the payment made, until the order service's retry comes (minutes). Static.
       * @default 86_400_000 (24 hours)
       */
      ledgerRetentionMs: duration(
        z
          .int()
          .min(1_000)
          .max(365 * day),
      ).default(day),
      /** `Retry-After` of a 503 `processor_unavailable`, in ms (sent rounded up to seconds). */
      retryAfterMs: duration(z.number().int().min(0).max(3_600_000)).default(1_000),
      /**
       * The processor's quota for this merchant account, shared by every replica through Redis
       * (limiter `payment-processor-quota`); runtime. A charge over it is a 503
       * `processor_unavailable` whose `Retry-After` says when the quota has room again.
       */
      quota: z
        .object({
          /** Charges per window across all replicas. */
          limit: z.int().min(1).max(1_000_000).default(1_000),
          /** The window, in ms. */
          windowMs: duration(z.number().int().min(1).max(86_400_000)).default(1_000),
        })
        .prefault({}),
    })
    .prefault({}),
  /**
   * Fault injection of the simulated processor, read on every charge (runtime): `errorRate` is
   * the share of charges failing transiently (503 `processor_unavailable`), `latencyMs` the
   * processor latency added per charge, `capacity` the charges it works on at once,
   * `requestLatencyMs` the latency of this replica itself.
   */
  chaos: z
    .object({
      ...chaosConfigShape,
      /** Share of (non-failing) charges declined, 0..1. */
      declineRate: z.number().min(0).max(1).default(0),
      /**
       * Charges the simulated processor works on at once; further ones wait in line, so beyond
       * `capacity ÷ latencyMs` charges per second every charge gets slower (an overloaded
       * dependency). 0: no limit.
       */
      capacity: z.int().min(0).max(10_000).default(0),
      /**
       * Latency added to every API request of this replica on arrival, before the body is read or
       * an Idempotency-Key claimed, in ms: a slow replica (a starved CPU, a bad node), where
       * `latencyMs` is a slow processor behind every replica.
       */
      requestLatencyMs: duration(z.number().int().min(0).max(60_000)).default(0),
    })
    .prefault({}),
});

/** The validated configuration. */
export type ServiceConfig = z.output<typeof configSchema>;

/** Keys that only apply at startup; a runtime change is reported and ignored. */
export const staticConfigKeys = [
  ...serviceStaticConfigKeys,
  'retention',
  'processor.ledgerRetentionMs',
] as const;
