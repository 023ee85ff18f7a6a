// Public surface of the order service: the HTTP app, its configuration, the user client, the
// metrics shared with the payment pipeline, and the data layer.

// HTTP
export { createApp, type AppDeps } from './app.ts';
export { configSchema, staticConfigKeys, type ServiceConfig } from './config.ts';
export type { OnAccepted, OrderStore } from './http/order-routes.ts';
export { orderMetrics, type OrderMetrics } from './metrics.ts';

// User service client
export {
  createUserClient,
  UserClient,
  userServiceName,
  type UserClientConfig,
  type UserClientOptions,
  type UserDirectory,
  type UserLookup,
  type UserLookupOptions,
} from './clients/user-client.ts';

// Schemas (request validation and the OpenAPI document share them)
export {
  createOrderBodySchema,
  createOrderHeadersSchema,
  idempotencyKeySchema,
  idSchema,
  maxOrderItems,
  maxQuantity,
  maxUnitPriceCents,
  orderItemSchema,
  orderParamsSchema,
  orderSchema,
  orderStatusSchema,
  problemSchema,
  skuSchema,
  type CreateOrderBody,
  type Order,
  type OrderItem,
  type OrderStatus,
} from './schemas.ts';
export { buildOpenApiDocument, type JsonObject } from './openapi.ts';

// Domain rules
export { computeTotalCents, maxOrderTotalCents, type PricedItem } from './order-total.ts';
export { canTransition, orderTransitions } from './order-status.ts';

// Errors
export { errorCatalogue, errorCodes, problem, type ErrorCode, type Problem } from './errors.ts';
export { problemType, problemTypeBase } from '@shipshape/service-kit';
export type { ErrorEntry, ProblemFieldError } from '@shipshape/service-kit';
export { IdempotencyKeyReusedError, isIdempotencyKeyReusedError } from '@shipshape/service-kit';
export {
  InvalidStatusTransitionError,
  isInvalidStatusTransitionError,
} from './errors/invalid-status-transition-error.ts';
export {
  isUserServiceUnavailableError,
  UserServiceUnavailableError,
  type UserServiceUnavailableReason,
} from './errors/user-service-unavailable-error.ts';

// Storage
export {
  clusterOrderKeys,
  keyPrefix,
  keys,
  nodeOrderKeys,
  orderKeyLayout,
  type OrderKeyLayout,
} from './storage/keys.ts';
export {
  OrderRepository,
  orderRequestHash,
  type CreateOrderInput,
  type CreateOrderResult,
  type OrderRepositoryOptions,
  type SetOrderStatusResult,
} from './storage/order-repository.ts';
export { OutboxRelay, type Disposable, type OutboxRelayOptions } from './storage/outbox-relay.ts';
export type { PaymentJob } from './storage/payment-job.ts';

// Payment backlog (backpressure)
export {
  orderCreatedMs,
  paidLagBucketsSeconds,
  PaymentBacklog,
  type BacklogSettings,
  type BacklogStatus,
  type PaymentBacklogOptions,
} from './payments/payment-backlog.ts';
