import express, { type RequestHandler, type Router } from 'express';
import { callerIdentity } from './caller-identity.ts';
import type { SecurityMetrics } from './security-metrics.ts';
import { sendSecurityProblem } from './security-problems.ts';

/**
 * Who may call which route: `'METHOD /express/path'` → caller identities (DNS SANs of their
 * client certificates), e.g. `{ 'POST /payments': ['order'] }`. The code equivalent of a mesh
 * authorization policy. Routes not listed are open to any caller the TLS layer admitted.
 */
export type CallerRules = Readonly<Record<string, readonly string[]>>;

/** Options of {@link authorizeCallers}. */
export interface AuthorizeCallersOptions {
  rules: CallerRules;
  /**
   * Whether the rules apply to this request: true while TLS is on. Without TLS no request
   * carries an identity, so the rules cannot be applied (the quick start's plain HTTP).
   */
  enforced: () => boolean;
  metrics: SecurityMetrics;
}

const methods = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

function parseRule(rule: string): { method: 'get' | 'post' | 'put' | 'patch' | 'delete'; path: string } {
  const match = /^([A-Z]+) (\/\S*)$/.exec(rule);
  if (!match || !methods.has(match[1]!)) {
    throw new RangeError(
      `caller rule must be "METHOD /path" with METHOD one of ${[...methods].join(', ')}, got ${JSON.stringify(rule)}`,
    );
  }
  return { method: match[1]!.toLowerCase() as 'get', path: match[2]! };
}

/**
 * Express middleware enforcing per-route caller rules on the identity the secure server
 * verified. Each rule is mounted as an express route, so it matches exactly the requests the
 * service's own route of the same path matches (case, trailing slash and parameters included).
 * A caller outside the list — or a connection without identity — is answered 403
 * `forbidden` (problem+json) and counted in `security_authz_denied_total{route,reason}`.
 * @throws RangeError at construction for a malformed rule or an empty caller list
 */
export function authorizeCallers(options: AuthorizeCallersOptions): Router {
  const router = express.Router();
  for (const [rule, callers] of Object.entries(options.rules)) {
    const { method, path } = parseRule(rule);
    if (callers.length === 0) throw new RangeError(`caller rule ${rule} lists no caller`);
    for (const reason of ['no_identity', 'caller_not_allowed'] as const)
      options.metrics.authzDenied(rule, reason, 0);
    const check: RequestHandler = (req, res, next) => {
      if (!options.enforced()) return next();
      const identity = callerIdentity(req);
      if (identity && identity.names.some((name) => callers.includes(name))) return next();
      if (!identity) {
        options.metrics.authzDenied(rule, 'no_identity');
        return sendSecurityProblem(
          res,
          'forbidden',
          'This route needs a caller identity (a client certificate).',
        );
      }
      options.metrics.authzDenied(rule, 'caller_not_allowed');
      sendSecurityProblem(res, 'forbidden', `Caller ${identity.names[0]} may not use this route.`);
    };
    router[method](path, check);
  }
  return router;
}
