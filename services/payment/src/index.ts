// Public surface of the payment service: the HTTP app, its configuration and the data layer.

// HTTP
export { createApp, type AppDeps } from './app.ts';
export { configSchema, staticConfigKeys, type ServiceConfig } from './config.ts';
export type { OnCharged, PaymentStore } from './http/payment-routes.ts';

// Schemas (request validation and the OpenAPI document share them)
export {
  amountCentsSchema,
  createPaymentBodySchema,
  createPaymentHeadersSchema,
  currencySchema,
  idempotencyKeySchema,
  idSchema,
  listPaymentsQuerySchema,
  maxAmountCents,
  paymentListSchema,
  paymentParamsSchema,
  paymentSchema,
  paymentStatusSchema,
  problemSchema,
  type CreatePaymentBody,
  type Payment,
  type PaymentList,
  type PaymentStatus,
} from './schemas.ts';
export { buildOpenApiDocument, type JsonObject } from './openapi.ts';

// Errors
export { errorCatalogue, errorCodes, problem, type ErrorCode, type Problem } from './errors.ts';
export { problemType, problemTypeBase } from '@shipshape/service-kit';
export type { ErrorEntry, ProblemFieldError } from '@shipshape/service-kit';
export {
  IdempotencyKeyInProgressError,
  isIdempotencyKeyInProgressError,
} from './errors/idempotency-key-in-progress-error.ts';
export { IdempotencyKeyReusedError, isIdempotencyKeyReusedError } from '@shipshape/service-kit';
export {
  isProcessorUnavailableError,
  ProcessorUnavailableError,
  type ProcessorUnavailableErrorOptions,
} from './errors/processor-unavailable-error.ts';

// Processor
export type { ChargeOutcome, ChargeRequest, PaymentProcessor } from './processor/payment-processor.ts';
export {
  createSimulatedProcessor,
  type ChaosSettings,
  type SimulatedProcessorOptions,
} from './processor/simulated-processor.ts';
export { ledgerProcessor, type LedgerProcessorOptions } from './processor/ledger-processor.ts';
export {
  quotaLimitedProcessor,
  type ProcessorQuotaSettings,
  type QuotaLimiter,
  type QuotaLimitedProcessorOptions,
} from './processor/quota-limited-processor.ts';

// Storage
export {
  clusterPaymentKeys,
  keyPrefix,
  keys,
  nodePaymentKeys,
  paymentKeyLayout,
  type PaymentKeyLayout,
} from './storage/keys.ts';
export {
  PaymentRepository,
  requestHash,
  type ChargeInput,
  type ChargeResult,
  type PaymentRepositoryOptions,
} from './storage/payment-repository.ts';
