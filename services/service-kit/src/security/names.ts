/**
 * Names of the security metrics, documented once (every series also carries `service`). Label
 * values all come from the small closed sets below, or from route templates the service
 * declared: never a raw path, a certificate subject or a token.
 */
export const SECURITY_METRIC = {
  /**
   * Counter, `reason` ∈ {@link TlsRefusalReason}: inbound TLS connections closed before any
   * request was read (no client certificate, another CA, expired, identity not allowed, a
   * failed handshake).
   */
  tlsHandshakeFailures: 'security_tls_handshake_failures_total',
  /**
   * Counter, `route` (the declared `METHOD /template`) and `reason` ∈ {@link AuthzDenyReason}:
   * requests answered 403 because the caller's identity may not use the route.
   */
  authzDenied: 'security_authz_denied_total',
  /**
   * Counter, `reason` ∈ {@link AdminDenyReason}: admin requests answered 401 or 403.
   */
  adminDenied: 'security_admin_denied_total',
  /**
   * Counter, `outcome` = `success` | `failure`: TLS material applied after a configuration
   * change (a certificate rotation), or rejected (the previous material stays in use).
   */
  tlsReloads: 'security_tls_reloads_total',
  /** Gauge, Unix time in seconds at which the certificate in use expires (alert on it). */
  certificateExpiry: 'security_tls_certificate_expiry_timestamp_seconds',
} as const;

/** Why an inbound TLS connection was closed before any request was read. */
export type TlsRefusalReason =
  /** The caller presented no certificate (mutual TLS required). */
  | 'no_certificate'
  /** The caller's certificate does not chain to `tls.ca`, or is not meant for clients. */
  | 'untrusted_certificate'
  /** The caller's certificate is expired or not yet valid. */
  | 'expired_certificate'
  /** A valid certificate whose identity is not in `tls.allowedClients`. */
  | 'identity_not_allowed'
  /** The handshake itself failed (protocol, cipher, the caller hung up or refused ours). */
  | 'handshake_failed';

/** Why a request to a protected route was refused. */
export type AuthzDenyReason =
  /** The connection carries no verified identity (TLS on without client certificates). */
  | 'no_identity'
  /** The caller's identity is not among the route's allowed callers. */
  | 'caller_not_allowed';

/** Why an admin request was refused. */
export type AdminDenyReason =
  /** No `Authorization: Bearer` token (401). */
  | 'missing_token'
  /** A token that is not the configured one (403). */
  | 'wrong_token'
  /** No token is configured and `admin.open` is off: admin routes fail closed (403). */
  | 'not_configured';
