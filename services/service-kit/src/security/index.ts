// The security family of the service kit: TLS / mutual TLS for the server and the service
// clients (material from SECRETS_DIR, rotated without restart), per-route caller authorization,
// the admin bearer token, and their metrics. Internals (the refusal classifier, the material
// parser's helpers) are not exported.
export {
  adminConfigSchema,
  securityConfigShape,
  securityStaticConfigKeys,
  tlsConfigSchema,
  type AdminSettings,
  type TlsSettings,
} from './security-config.ts';
export {
  SECURITY_METRIC,
  type AdminDenyReason,
  type AuthzDenyReason,
  type TlsRefusalReason,
} from './names.ts';
export { securityMetrics, type SecurityMetrics } from './security-metrics.ts';
export { readTlsMaterial, type TlsMaterial } from './tls-material.ts';
export { TlsMaterialError, isTlsMaterialError } from './tls-material-error.ts';
export { callerIdentity, type CallerIdentity } from './caller-identity.ts';
export { createSecureServer, type SecureServer, type SecureServerOptions } from './secure-server.ts';
export { type ServiceClientTls, type TlsFollower } from './client-tls.ts';
export {
  ServiceSecurity,
  type SecurityConfigSource,
  type SecurityLogger,
  type SecuritySnapshot,
  type ServiceSecurityOptions,
} from './service-security.ts';
export { authorizeCallers, type AuthorizeCallersOptions, type CallerRules } from './authorize-callers.ts';
export {
  requireAdminToken,
  tokensMatch,
  type AdminAuthOptions,
  type AdminTokenSettings,
} from './admin-auth.ts';
export { securityErrorEntries, type SecurityErrorCode } from './security-problems.ts';
export { createOperationalApp, type OperationalAppOptions } from './operational-app.ts';
