/** What replaces a redacted value in a log line. */
export const redactedText = '[REDACTED]';

/**
 * Paths pino always redacts: credentials in request and response headers, in the shapes they
 * are usually logged (`req.headers`, a bare `headers` object, or at the top level).
 */
export const defaultRedactPaths: readonly string[] = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers["proxy-authorization"]',
  'headers.cookie',
  'headers["set-cookie"]',
  'authorization',
  'cookie',
  'password',
  '*.password',
];

/**
 * Paths added with `redactIdempotencyKey`. An idempotency key is not a credential, but whoever
 * holds one can replay a payment's outcome, so deployments may choose to keep it out of logs.
 */
export const idempotencyKeyRedactPaths: readonly string[] = [
  'req.headers["idempotency-key"]',
  'headers["idempotency-key"]',
  'idempotencyKey',
  'idempotency_key',
];

/**
 * Builds the `streamWrite` hook that removes secret VALUES from each serialized line, wherever
 * they appear (a message, an error text, a field nobody thought to redact). Path redaction
 * cannot do that: it only knows where a secret is expected. Each value is matched both raw and
 * in its JSON-escaped form, since the line is already JSON. Returns `undefined` when there is
 * nothing to scrub, so the hook costs nothing then.
 */
export function createSecretScrubber(secretValues: Iterable<string>): ((line: string) => string) | undefined {
  const needles = new Set<string>();
  for (const value of secretValues) {
    if (value.length === 0) continue;
    needles.add(value);
    needles.add(JSON.stringify(value).slice(1, -1));
  }
  if (needles.size === 0) return undefined;
  // Longest first, so a secret that contains another is removed whole.
  const ordered = [...needles].sort((a, b) => b.length - a.length);
  return (line) => {
    let out = line;
    for (const needle of ordered) {
      if (out.includes(needle)) out = out.split(needle).join(redactedText);
    }
    return out;
  };
}
