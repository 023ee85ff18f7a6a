/** Throws a RangeError naming the option unless `value` is a finite number ≥ `min`. */
export function requireAtLeast(option: string, value: number, min: number, integer = false): void {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < min ||
    (integer && !Number.isInteger(value))
  ) {
    throw new RangeError(
      `${option} must be ${integer ? 'an integer' : 'a finite number'} >= ${min}, got ${String(value)}`,
    );
  }
}
