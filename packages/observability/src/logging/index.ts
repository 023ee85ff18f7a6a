// Logging: pino JSON lines correlated with traces and requests, redacted, plus the request id
// and access-log middleware.
export type { LoggerOptions } from './create-logger.ts';
export { createLogger } from './create-logger.ts';
export type { CorrelationFields } from './trace-mixin.ts';
export { correlationMixin } from './trace-mixin.ts';
export {
  createSecretScrubber,
  defaultRedactPaths,
  idempotencyKeyRedactPaths,
  redactedText,
} from './redaction.ts';
export type { RequestContext } from './request-context.ts';
export { getRequestId, runWithRequestContext } from './request-context.ts';
export type { RequestIdOptions } from './request-id.ts';
export { isValidRequestId, requestId } from './request-id.ts';
export type { AccessLogLine, AccessLogOptions } from './access-log.ts';
export { accessLog } from './access-log.ts';
export { captureRouteTemplates, routeTemplate } from '../route/route-template.ts';
export type { RequestRecord, ResponseEndHandler } from '../route/request-record.ts';
export { findRequestRecord, onResponseEnd, requestRecord } from '../route/request-record.ts';
