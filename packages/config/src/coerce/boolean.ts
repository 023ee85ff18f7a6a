import { coerced, rejected, type CoerceResult } from './result.ts';

const truthy = new Set(['true', '1', 'yes', 'on']);
const falsy = new Set(['false', '0', 'no', 'off']);

/** `true/false/1/0/yes/no/on/off`, case-insensitive. */
export function coerceBoolean(text: string): CoerceResult {
  const word = text.trim().toLowerCase();
  if (truthy.has(word)) return coerced(true);
  if (falsy.has(word)) return coerced(false);
  return rejected('expected a boolean (true/false, 1/0, yes/no, on/off)');
}
