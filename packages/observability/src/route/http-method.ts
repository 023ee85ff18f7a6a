import { OTHER_METHOD } from '../metrics/names.ts';

// The request methods the HTTP semantic conventions name; anything else is `_OTHER`.
const knownMethods = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
]);

/**
 * A request method as spans (`http.request.method`) and the `method` metric label name it:
 * itself if the conventions know it, else `_OTHER`, so that made-up methods cannot grow the
 * series count.
 */
export function semconvMethod(method: string): string {
  return knownMethods.has(method) ? method : OTHER_METHOD;
}
