import type { MetricsRegistry } from '@shipshape/observability/metrics';
import {
  SECURITY_METRIC,
  type AdminDenyReason,
  type AuthzDenyReason,
  type TlsRefusalReason,
} from './names.ts';

/** What the security parts record; one instance per registry. */
export interface SecurityMetrics {
  tlsRefused(reason: TlsRefusalReason): void;
  /** Counts a refusal; `by` 0 only creates the series. */
  authzDenied(route: string, reason: AuthzDenyReason, by?: number): void;
  adminDenied(reason: AdminDenyReason): void;
  tlsReloaded(outcome: 'success' | 'failure'): void;
  /** The expiry of the certificate in use, as a `Date`. */
  certificateExpires(notAfter: Date): void;
  /**
   * Creates every series of a closed label set at 0 (TLS refusals, admin refusals), so rate()
   * and alerts see the first event; only for the parts a process really runs.
   */
  initialize(part: 'tls' | 'admin'): void;
}

const refusalReasons: readonly TlsRefusalReason[] = [
  'no_certificate',
  'untrusted_certificate',
  'expired_certificate',
  'identity_not_allowed',
  'handshake_failed',
];
const adminReasons: readonly AdminDenyReason[] = ['missing_token', 'wrong_token', 'not_configured'];

/**
 * The security metrics of {@link SECURITY_METRIC} on a service's registry (get-or-create, so
 * every part shares one instance per name).
 */
export function securityMetrics(metrics: MetricsRegistry): SecurityMetrics {
  const handshakes = metrics.counter({
    name: SECURITY_METRIC.tlsHandshakeFailures,
    help: 'Inbound TLS connections closed before any request was read, by reason',
    labelNames: ['reason'],
  });
  const authz = metrics.counter({
    name: SECURITY_METRIC.authzDenied,
    help: 'Requests refused 403 because the caller identity may not use the route',
    labelNames: ['route', 'reason'],
  });
  const admin = metrics.counter({
    name: SECURITY_METRIC.adminDenied,
    help: 'Admin requests refused 401/403, by reason',
    labelNames: ['reason'],
  });
  const reloads = metrics.counter({
    name: SECURITY_METRIC.tlsReloads,
    help: 'TLS material applied (success) or rejected (failure) after a configuration change',
    labelNames: ['outcome'],
  });
  const expiry = metrics.gauge({
    name: SECURITY_METRIC.certificateExpiry,
    help: 'Unix time in seconds at which the TLS certificate in use expires',
    labelNames: [],
  });
  return {
    tlsRefused: (reason) => handshakes.inc({ reason }),
    authzDenied: (route, reason, by = 1) => authz.inc({ route, reason }, by),
    adminDenied: (reason) => admin.inc({ reason }),
    tlsReloaded: (outcome) => reloads.inc({ outcome }),
    certificateExpires: (notAfter) => expiry.set(Math.floor(notAfter.getTime() / 1000)),
    initialize: (part) => {
      if (part === 'tls') for (const reason of refusalReasons) handshakes.inc({ reason }, 0);
      else for (const reason of adminReasons) admin.inc({ reason }, 0);
    },
  };
}
