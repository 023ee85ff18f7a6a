import { coerced, rejected, type CoerceResult } from './result.ts';

/**
 * Parses JSON without ever repeating V8's error message: it quotes the input, which may be a
 * secret.
 */
export function parseJson(text: string, expected: string): CoerceResult {
  try {
    return coerced(JSON.parse(text));
  } catch {
    return rejected(`expected ${expected}, but it is not valid JSON`);
  }
}

/** A JSON object, e.g. `{"eu":2,"us":3}`. */
export function coerceObject(text: string): CoerceResult {
  const result = parseJson(text, 'a JSON object');
  if (!result.ok) return result;
  const value = result.value;
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? result
    : rejected('expected a JSON object');
}
