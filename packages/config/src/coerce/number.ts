import { coerced, rejected, type CoerceResult } from './result.ts';

// Decimal notation only: `Number()` alone would also accept '', '0x1f', 'Infinity' and ' '.
const integerPattern = /^[+-]?\d+$/;
const floatPattern = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A whole number in decimal notation, e.g. `8080`, `-3`. */
export function coerceInteger(text: string): CoerceResult {
  const trimmed = text.trim();
  if (!integerPattern.test(trimmed)) return rejected('expected an integer');
  const value = Number(trimmed);
  return Number.isSafeInteger(value) ? coerced(value) : rejected('expected an integer within ±2^53');
}

/** A decimal number, e.g. `0.5`, `-2`, `1e3`. */
export function coerceNumber(text: string): CoerceResult {
  const trimmed = text.trim();
  return floatPattern.test(trimmed) ? coerced(Number(trimmed)) : rejected('expected a number');
}

/** A bigint in decimal notation. */
export function coerceBigInt(text: string): CoerceResult {
  const trimmed = text.trim();
  return integerPattern.test(trimmed) ? coerced(BigInt(trimmed)) : rejected('expected an integer');
}
