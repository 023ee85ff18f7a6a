import * as z from 'zod';
import { duration } from '../schema/duration.ts';
import { secret } from '../schema/secret.ts';

/** The schema most config tests use: a small payment-service-like configuration. */
export const testSchema = z.object({
  port: z.int().min(1).max(65_535).default(3000),
  logLevel: z.enum(['debug', 'info', 'warn']).default('info'),
  payment: z.object({
    timeoutMs: duration().default(1_000),
    retries: z.int().nonnegative().default(2),
  }),
  chaos: z.object({
    errorRate: z.number().min(0).max(1).default(0),
    enabled: z.boolean().default(false),
  }),
  db: z.object({
    password: secret(z.string().min(8)),
    hosts: z.array(z.string()).default(['localhost']),
  }),
});
