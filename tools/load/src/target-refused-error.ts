const brand = Symbol.for('shipshape.load.TargetRefusedError');

/**
 * Thrown before any request is sent when a target would leave this machine without the user
 * having named it. Code: `target_refused`.
 */
export class TargetRefusedError extends Error {
  override readonly name = 'TargetRefusedError';
  /** Stable error code. */
  readonly code = 'target_refused';
  /** The refused URL. */
  readonly url: string;
  readonly [brand] = true;

  constructor(url: string, message: string) {
    super(message);
    this.url = url;
  }
}

/** True for a {@link TargetRefusedError}, even one from another copy of this package. */
export function isTargetRefusedError(value: unknown): value is TargetRefusedError {
  return typeof value === 'object' && value !== null && brand in value;
}
