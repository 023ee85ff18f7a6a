// `process.getBuiltinModule`, not `import … from 'node:http'`: an ES import of node:http builds
// its namespace, and reading every export runs Node's lazy `http.WebSocket` getters, which load
// undici, tls, http2, zlib and worker_threads (≈60 ms of start-up here).
const { IncomingMessage } = process.getBuiltinModule('node:http');

// Registry symbols: the `--import` entry and the application may load two copies of this
// package (dist vs src, or a copied package), and both must read what either one captured.
const routeKey = Symbol.for('@shipshape/observability/route');
const templateKey = Symbol.for('@shipshape/observability/route-template');

interface RouteCarrier {
  baseUrl?: string;
  route?: unknown;
  [routeKey]?: unknown;
  [templateKey]?: string | undefined;
}

/**
 * Makes every request remember its route template at the moment express matches the route,
 * once per process: an accessor `route` on `http.IncomingMessage.prototype`. Express (router
 * 2.x) assigns `req.route = route` when a route matches; the setter stores it together with
 * the template built from the `req.baseUrl` of that moment. Reading later would be wrong:
 * express restores `req.baseUrl` when an error leaves a sub-router, so at `finish` the mount
 * path of the route that ran may be gone.
 *
 * One prototype accessor instead of an `Object.defineProperty` on every request: the tracing
 * server span, the metrics middleware and the access log all read the template, and none of
 * them then pays anything per request but two property stores. Idempotent; a second copy of
 * this package finds the accessor already there and reads the same symbols.
 */
export function captureRouteTemplates(): void {
  const proto = IncomingMessage.prototype as RouteCarrier;
  if (Object.getOwnPropertyDescriptor(proto, 'route') !== undefined) return;
  Object.defineProperty(proto, 'route', {
    configurable: true,
    enumerable: false,
    get(this: RouteCarrier): unknown {
      return this[routeKey];
    },
    set(this: RouteCarrier, value: unknown) {
      this[routeKey] = value;
      this[templateKey] = joinTemplate(this.baseUrl ?? '', value);
    },
  });
}

/**
 * The route template that matched a request (`/users/:id`, mount path included), or
 * `undefined` when no route matched (404s, requests answered by middleware). Never the raw
 * path: ids in paths would make one log group or metric series per user.
 */
export function routeTemplate(req: object): string | undefined {
  const carrier = req as RouteCarrier;
  const captured = carrier[templateKey];
  if (captured !== undefined) return captured;
  // Not captured: the accessor is not installed, or a sub-application's request prototype
  // shadowed it with an own `route`. The mount path of now is the best left.
  return joinTemplate(carrier.baseUrl ?? '', carrier.route);
}

function joinTemplate(baseUrl: string, route: unknown): string | undefined {
  if (route === undefined || route === null) return undefined;
  const path = (route as { path?: unknown }).path;
  const part = Array.isArray(path) ? path.map(String).join('|') : String(path);
  if (part === '/' && baseUrl) return baseUrl;
  return `${baseUrl}${part}` || '/';
}
