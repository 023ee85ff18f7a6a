// Public surface of @shipshape/service-kit: code the three services share. Internal to the
// services; packages/* never import it. Test helpers are under `@shipshape/service-kit/testing`.

// OpenAPI
export { componentRef, components, jsonContent, type JsonObject } from './openapi/components.ts';
export { parameters, type ParameterLocation } from './openapi/parameters.ts';
export { createProblemSchema } from './openapi/problem-schema.ts';
export {
  everyRequestCodes,
  problemResponses,
  withBodyCodes,
  type CommonErrorCode,
} from './openapi/problem-responses.ts';
export {
  buildServiceOpenApiDocument,
  type OpenApiHelpers,
  type ServiceOpenApiOptions,
} from './openapi/service-document.ts';

// Schemas
export { idempotencyKeySchema, idSchema } from './schemas/ids.ts';

// Errors
export {
  defineErrorCatalogue,
  problemType,
  problemTypeBase,
  type ErrorCatalogue,
  type ErrorEntry,
  type Problem,
  type ProblemFieldError,
} from './errors/error-catalogue.ts';
export { commonErrorEntries, type CommonErrorEntryCode } from './errors/common-error-entries.ts';
export { brandError, errorBrand, hasBrand } from './errors/brand.ts';
export {
  IdempotencyKeyReusedError,
  isIdempotencyKeyReusedError,
} from './errors/idempotency-key-reused-error.ts';
export {
  InjectedFaultError,
  isInjectedFaultError,
  causedByInjectedFault,
} from './errors/injected-fault-error.ts';

// HTTP
export {
  catalogueProblems,
  type CatalogueProblems,
  type UnknownServerErrorRule,
} from './http/catalogue-problems.ts';
export { clientKey, type ClientKeyRequest } from './http/client-key.ts';
export { closeUnreadRequests, type CloseUnreadRequestsOptions } from './http/close-unread-requests.ts';
export { httpServerOptions, type ServerLimits } from './http/server-limits.ts';
export { jsonBody, type JsonBodyOptions } from './http/json-body.ts';
export { routeLabels, type OpenApiPaths } from './http/route-labels.ts';
export { chaosMiddleware, type ChaosMiddlewareOptions, type ChaosSettings } from './http/chaos-middleware.ts';
export {
  createServiceApp,
  type ServiceAppConfig,
  type ServiceAppDeps,
  type ServiceAppLogger,
  type ServiceAppOptions,
  type ServiceAppSnapshot,
  type ServiceErrorMapper,
} from './http/service-app.ts';

// Redis
export { connectRedis, type ConnectRedisOptions } from './redis/connect-redis.ts';
export {
  createRedisClient,
  InvalidRedisUrlError,
  isClusterClient,
  isClusterUrl,
  parseRedisUrl,
  pingRedis,
  type RedisClient,
  type RedisTarget,
} from './redis/redis-client.ts';
export { isRedisUnavailableError } from './redis/redis-unavailable.ts';
export {
  bridgeRedisMemory,
  REDIS_LABEL,
  REDIS_METRIC,
  type RedisMemoryOptions,
} from './redis/redis-memory-metrics.ts';

// Storage
export { defineLuaScript, expectTypeLua, type LuaScript } from './storage/lua-script.ts';
export { uuidV7 } from './storage/uuid-v7.ts';
export {
  clusterPartitionCount,
  idInPartition,
  partitionOfId,
  partitionOfValue,
  partitionTag,
} from './storage/key-partitions.ts';

// Service process
export {
  runService,
  type RunServiceConfig,
  type RunServiceOptions,
  type ServiceContext,
  type ServiceLogger,
} from './service/run-service.ts';

// Configuration
export {
  chaosConfigShape,
  serviceConfigShape,
  serviceStaticConfigKeys,
  type ServiceConfigShapeOptions,
} from './config/service-config.ts';
export { dayMs, idempotencyKeyWithin, retentionMs } from './config/retention.ts';

// Security (TLS / mutual TLS, caller authorization, admin token)
export * from './security/index.ts';
