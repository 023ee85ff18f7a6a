/** How a scenario runs. */
export interface RunMode {
  /** The CI form (≤ 90 s): shorter load and fault, same hypotheses. */
  readonly short: boolean;
  /**
   * Whether the fault is injected. `false` (`--no-fault`) runs the same load and timeline with
   * the fault steps skipped: the control experiment, whose fault hypotheses must fail.
   */
  readonly fault: boolean;
}

/** Picks the short or the full value of a scenario parameter. */
export function pick<T>(mode: RunMode, values: { readonly short: T; readonly full: T }): T {
  return mode.short ? values.short : values.full;
}
