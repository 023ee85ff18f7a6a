import type { RequestHandler } from 'express';

interface RouteMatcher {
  readonly pattern: RegExp;
  /** Express syntax (`/orders/:id`), the form the metrics and logs label routes with. */
  readonly template: string;
}

/** The paths object of an OpenAPI document (`{ paths: { '/orders/{id}': … } }`). */
export interface OpenApiPaths {
  readonly paths?: Readonly<Record<string, unknown>>;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function matcherOf(openApiPath: string): RouteMatcher {
  const template = openApiPath.replace(/\{([^}]+)\}/g, ':$1');
  const pattern = openApiPath
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') && part.endsWith('}') ? '[^/]+' : escape(part)))
    .join('');
  return { pattern: new RegExp(`^${pattern}/?$`), template };
}

/**
 * Labels a request with the route template of the API path it is for BEFORE any middleware may
 * answer it, so answers given ahead of the router (a 429 of the inbound limit, an injected 503,
 * a 400 malformed body, 413, 415, a 504 deadline) count under their route (`/orders`) in
 * `http_server_request_duration_seconds` and the access log, and in the route SLOs built on
 * them, not under `route="unmatched"`. The templates come from the service's OpenAPI document,
 * the same one that documents the routes. A path of no template stays unlabelled (`unmatched`),
 * so random paths still cannot grow the series count.
 *
 * It assigns `req.route = { path: template }`, which `@shipshape/observability` captures like
 * express's own assignment when a route matches; the router then assigns the matched route,
 * whose template is the same.
 */
export function routeLabels(document: OpenApiPaths): RequestHandler {
  const matchers = Object.keys(document.paths ?? {}).map(matcherOf);
  return (req, _res, next) => {
    const path = req.path;
    for (const { pattern, template } of matchers) {
      if (pattern.test(path)) {
        (req as { route?: unknown }).route = { path: template };
        break;
      }
    }
    next();
  };
}
