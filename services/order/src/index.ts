// Public surface of the order service's data layer. The HTTP app (createApp), the BullMQ worker
// and main.ts land with the services issue and build on exactly these exports.

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
export { problemType, problemTypeBase, type ErrorEntry, type ProblemFieldError } from './errors.ts';
export { IdempotencyKeyReusedError, isIdempotencyKeyReusedError } from '@shipshape/service-kit';
export {
  InvalidStatusTransitionError,
  isInvalidStatusTransitionError,
} from './errors/invalid-status-transition-error.ts';

// Storage
export { keyPrefix, keys } from './storage/keys.ts';
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
