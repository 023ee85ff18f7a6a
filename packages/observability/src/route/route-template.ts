import diagnosticsChannel from 'node:diagnostics_channel';

/**
 * The `start` channel of the `express.router.request` tracing channel that the `router`
 * package (express 5's router, from 2.3) publishes before every middleware and route handler
 * it calls: a documented, public event with `{ req, res, route, … }`.
 */
const handlerStartChannel = 'tracing:express.router.request:start';

// Registry symbols: the `--import` entry and the application may load two copies of this
// package (dist vs src, or a copied package), and both must read what either one captured.
const capturedRouteKey = Symbol.for('@shipshape/observability/captured-route');
const templateKey = Symbol.for('@shipshape/observability/route-template');

interface RouteCarrier {
  baseUrl?: string;
  route?: unknown;
  [capturedRouteKey]?: unknown;
  [templateKey]?: string | undefined;
}

/** What the router publishes on {@link handlerStartChannel} (the fields read here). */
interface HandlerStart {
  req: RouteCarrier;
}

function onHandlerStart(message: unknown): void {
  const req = (message as HandlerStart).req;
  const route = req.route;
  // Once per matched route: the router sets `req.route` when a route matches and never clears
  // it, so later handlers (an error handler outside the sub-router, say) see the same route
  // with a restored `req.baseUrl`, which must not replace the template taken inside.
  if (route === undefined || route === req[capturedRouteKey]) return;
  req[capturedRouteKey] = route;
  req[templateKey] = joinTemplate(req.baseUrl ?? '', route);
}

let subscribed = false;

/**
 * Makes every request remember its route template while the route's handler runs, through the
 * router's public diagnostics channel (`express.router.request`, router ≥ 2.3): at the start of
 * the first handler of a newly matched route, `req.baseUrl` and `req.route` are those of that
 * route. Reading them later would be wrong: express restores `req.baseUrl` when an error leaves
 * a sub-router, so at `finish` the mount path of the route that ran may be gone.
 *
 * The server span, the metrics middleware and the access log call it; once per module copy.
 * With an older router (no channel), {@link routeTemplate} falls back to `req.baseUrl` and
 * `req.route` at the time it is called.
 */
export function captureRouteTemplates(): void {
  if (subscribed) return;
  subscribed = true;
  diagnosticsChannel.subscribe(handlerStartChannel, onHandlerStart);
}

/**
 * The route template that matched a request (`/users/:id`, mount path included), or
 * `undefined` when no route matched (404s, requests answered by middleware). Never the raw
 * path: ids in paths would make one log group or metric series per user.
 */
export function routeTemplate(req: object): string | undefined {
  const carrier = req as RouteCarrier;
  const route = carrier.route;
  // Captured for this very route: the template of that moment.
  if (route !== undefined && route === carrier[capturedRouteKey]) return carrier[templateKey];
  // Not captured (a router without the channel, or a route matched but no handler started
  // yet): the mount path of now is the best left.
  return joinTemplate(carrier.baseUrl ?? '', route);
}

function joinTemplate(baseUrl: string, route: unknown): string | undefined {
  if (route === undefined || route === null) return undefined;
  const path = (route as { path?: unknown }).path;
  const part = Array.isArray(path) ? path.map(String).join('|') : String(path);
  if (part === '/' && baseUrl) return baseUrl;
  return `${baseUrl}${part}` || '/';
}
