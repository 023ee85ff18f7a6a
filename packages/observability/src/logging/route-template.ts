import type { Request } from 'express';

/**
 * The route template that matched a request (`/users/:id`, mount path included), or
 * `undefined` when no route matched (404s, requests answered by middleware). Never the raw
 * path: ids in paths would make one log group or metric series per user.
 */
export function routeTemplate(req: Request): string | undefined {
  const route = (req as { route?: { path?: unknown } }).route;
  if (route === undefined) return undefined;
  const path = route.path;
  const template = typeof path === 'string' ? path : Array.isArray(path) ? path.join('|') : String(path);
  return `${req.baseUrl}${template === '/' && req.baseUrl ? '' : template}`;
}
