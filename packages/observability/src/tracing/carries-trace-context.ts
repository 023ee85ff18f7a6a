/**
 * True when an outbound undici request already carries a `traceparent` header: its caller (the
 * `@shipshape/resilience` service client, which starts a CLIENT span per attempt and injects its
 * context) propagates the trace itself. The undici instrumentation must then stay out: it would
 * start a second CLIENT span and append a second `traceparent`, and a server that receives two
 * `traceparent` headers must ignore both (W3C Trace Context), which cuts the trace in two.
 *
 * undici hands its diagnostics channel the headers as a flat `[name, value, …]` array (undici 6+)
 * or as one raw `name: value\r\n…` string (undici 5).
 */
export function carriesTraceContext(headers: unknown): boolean {
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2) {
      const name: unknown = headers[i];
      if (typeof name === 'string' && name.length === 11 && name.toLowerCase() === 'traceparent') return true;
    }
    return false;
  }
  if (typeof headers === 'string') return /(^|\r\n)traceparent:/i.test(headers);
  return false;
}
