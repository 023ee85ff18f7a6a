/** How a scenario runs. */
export interface RunMode {
  /** The CI form (≤ 90 s): shorter load and fault, same hypotheses. */
  readonly short: boolean;
  /**
   * Whether the fault is injected. `false` (`--no-fault`) runs the same load and timeline with
   * the fault steps skipped: the control experiment, whose fault hypotheses must fail.
   */
  readonly fault: boolean;
  /**
   * Whether the defence the scenario exercises is on (hedging, the adaptive limit). `false`
   * (`--no-defence`) runs the same fault against the system without it: the experiment that
   * shows what the defence buys, whose defence hypotheses must fail. Only scenarios that declare
   * a `defence` read it. @default true
   */
  readonly defence?: boolean;
}

/** True unless the run switched the scenario's defence off (`--no-defence`). */
export function defenceOn(mode: RunMode): boolean {
  return mode.defence !== false;
}

/** Picks the short or the full value of a scenario parameter. */
export function pick<T>(mode: RunMode, values: { readonly short: T; readonly full: T }): T {
  return mode.short ? values.short : values.full;
}
