/** Throws a RangeError naming `option` unless `value` is an integer ≥ `min`. */
export function requireInteger(option: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${option} must be an integer >= ${min}, got ${String(value)}`);
  }
}

/** Throws a RangeError naming `option` unless `value` is a finite number ≥ `min`. */
export function requireNumber(option: string, value: number, min: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new RangeError(`${option} must be a finite number >= ${min}, got ${String(value)}`);
  }
}

/** Throws a RangeError naming `option` unless `value` is in (0, 1]. */
export function requireRatio(option: string, value: number): void {
  if (typeof value !== 'number' || !(value > 0 && value <= 1)) {
    throw new RangeError(`${option} must be in (0, 1], got ${String(value)}`);
  }
}

/** The default clock: monotonic, so wall-clock adjustments do not move policy windows. */
export const monotonicNow = (): number => performance.now();
