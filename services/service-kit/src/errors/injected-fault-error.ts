import { brandError, errorBrand, hasBrand } from './brand.ts';

const brand = '@shipshape/service-kit/InjectedFaultError';

/**
 * A failure injected on purpose by fault injection (`chaos.errorRate`): the cause of the 503 a
 * service then answers (or of its simulated processor's failure). It marks the outcome as
 * expected, so the service logs it at `info` without a stack instead of as an error: under
 * `npm run chaos -- payment errorRate=0.5` the logs show the experiment, not an incident.
 */
export class InjectedFaultError extends Error {
  /** Stable machine-readable code. */
  readonly code = 'injected_fault' as const;
  /** The setting that injected it, e.g. `chaos.errorRate`. */
  readonly setting: string;
  declare readonly [errorBrand]: string;

  constructor(setting: string) {
    super(`fault injected by ${setting}`);
    this.name = 'InjectedFaultError';
    this.setting = setting;
    brandError(this, brand);
  }
}

/** True for an {@link InjectedFaultError}, also one created by another copy of this module. */
export function isInjectedFaultError(value: unknown): value is InjectedFaultError {
  return hasBrand(value, brand);
}

/** True when `error` is an injected fault or one is among its causes (`error.cause`, …). */
export function causedByInjectedFault(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current = error; typeof current === 'object' && current !== null;) {
    if (seen.has(current)) return false;
    seen.add(current);
    if (isInjectedFaultError(current)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
