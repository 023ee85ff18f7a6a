import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { SecurityMetrics } from './security-metrics.ts';
import { sendSecurityProblem } from './security-problems.ts';

/** The admin settings read per request (`admin.*` of the configuration). */
export interface AdminTokenSettings {
  readonly token?: string | undefined;
  readonly open: boolean;
}

/** Options of {@link requireAdminToken}. */
export interface AdminAuthOptions {
  /** The current settings; read per request, so a rotated token applies to the next request. */
  settings: () => AdminTokenSettings | undefined;
  metrics: SecurityMetrics;
}

const challenge = { 'WWW-Authenticate': 'Bearer realm="shipshape-admin"' };

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * True when `given` equals `expected`, in time that depends on neither: both are hashed first
 * (SHA-256), so `timingSafeEqual` compares two equal-length digests and the comparison leaks
 * neither the token's content nor its length.
 */
export function tokensMatch(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Express middleware guarding operator endpoints (`/config`, `/admin/*`) with
 * `Authorization: Bearer <admin.token>`: no or malformed header → 401 `unauthorized` with a
 * `WWW-Authenticate` challenge; another token → 403 `forbidden`. Without a configured token the
 * routes fail closed (403) unless `admin.open` is set (local development). A configured token
 * always wins over `admin.open`. Refusals are counted in `security_admin_denied_total{reason}`;
 * the token never appears in an answer or a log line (the logger redacts `authorization`).
 */
export function requireAdminToken(options: AdminAuthOptions): RequestHandler {
  return (req, res, next) => {
    const settings = options.settings() ?? { open: false };
    const expected = settings.token;
    if (expected === undefined) {
      if (settings.open) return next();
      options.metrics.adminDenied('not_configured');
      return sendSecurityProblem(
        res,
        'forbidden',
        'Admin endpoints are disabled: no admin token is configured (admin.token in SECRETS_DIR).',
      );
    }
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.headers.authorization ?? '');
    if (!match) {
      options.metrics.adminDenied('missing_token');
      return sendSecurityProblem(res, 'unauthorized', 'Send Authorization: Bearer <admin token>.', challenge);
    }
    if (!tokensMatch(match[1]!, expected)) {
      options.metrics.adminDenied('wrong_token');
      return sendSecurityProblem(res, 'forbidden', 'The admin token is not valid.');
    }
    next();
  };
}
