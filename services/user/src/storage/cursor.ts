import { InvalidCursorError } from '../errors/invalid-cursor-error.ts';

const version = 1;

/**
 * Pagination cursors are opaque base64url JSON `{ v, after }`: `after` is the last id of the
 * previous page. Versioned so the format can change without breaking cursors in flight.
 */
export function encodeCursor(afterId: string): string {
  return Buffer.from(JSON.stringify({ v: version, after: afterId })).toString('base64url');
}

/** Decodes a cursor from {@link encodeCursor}; anything else throws {@link InvalidCursorError}. */
export function decodeCursor(cursor: string, isId: (value: string) => boolean): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw new InvalidCursorError({ cause });
  }
  if (typeof parsed !== 'object' || parsed === null) throw new InvalidCursorError();
  const { v, after } = parsed as { v?: unknown; after?: unknown };
  if (v !== version || typeof after !== 'string' || !isId(after)) throw new InvalidCursorError();
  return after;
}
