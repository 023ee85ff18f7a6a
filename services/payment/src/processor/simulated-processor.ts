import { InjectedFaultError } from '@shipshape/service-kit';
import { ProcessorUnavailableError } from '../errors/processor-unavailable-error.ts';
import type { ChargeOutcome, ChargeRequest, PaymentProcessor } from './payment-processor.ts';
import { ProcessorLine } from './processor-line.ts';

/** Fault-injection settings, read again for every charge so runtime changes apply at once. */
export interface ChaosSettings {
  /** Share of charges failing transiently, 0..1. */
  readonly errorRate: number;
  /** Added latency per charge, in ms. */
  readonly latencyMs: number;
  /** Share of (non-failing) charges declined, 0..1. */
  readonly declineRate: number;
  /** Charges worked on at once; more wait in line (0 = unlimited). @default 0 */
  readonly capacity?: number;
}

/** Options of {@link createSimulatedProcessor}. */
export interface SimulatedProcessorOptions {
  /** Current chaos settings (the service reads them from `chaos.*` config). */
  getChaos: () => ChaosSettings;
  /**
   * Uniform random numbers in [0, 1); inject a sequence to make outcomes deterministic.
   * @default Math.random
   */
  random?: () => number;
}

const defaults = { random: Math.random } satisfies Partial<SimulatedProcessorOptions>;

function checkChaos(chaos: ChaosSettings): void {
  for (const name of ['errorRate', 'declineRate'] as const) {
    const value = chaos[name];
    if (!(value >= 0 && value <= 1)) throw new RangeError(`chaos.${name} must be in [0, 1], got ${value}`);
  }
  if (!(Number.isFinite(chaos.latencyMs) && chaos.latencyMs >= 0)) {
    throw new RangeError(`chaos.latencyMs must be a finite number >= 0, got ${chaos.latencyMs}`);
  }
}

/**
 * Waits `ms` on the global timer (so fake timers drive it) and rejects with the signal's reason
 * when it aborts, as fetch does.
 */
function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A stand-in for a real processor: waits for one of `capacity` places (when set), then
 * `latencyMs`, then fails transiently with probability `errorRate` (throwing
 * {@link ProcessorUnavailableError}), else declines with probability `declineRate`, else
 * captures. The waits honour the abort signal, like a real HTTP call would.
 */
export function createSimulatedProcessor(options: SimulatedProcessorOptions): PaymentProcessor {
  const { getChaos, random } = { ...defaults, ...options };
  const line = new ProcessorLine(() => getChaos().capacity ?? 0);
  return {
    async charge(_request: ChargeRequest, signal?: AbortSignal): Promise<ChargeOutcome> {
      const chaos = getChaos();
      checkChaos(chaos);
      const leave = await line.enter(signal);
      try {
        if (chaos.latencyMs > 0) await delay(chaos.latencyMs, signal);
      } finally {
        leave();
      }
      signal?.throwIfAborted();
      if (random() < chaos.errorRate) {
        throw new ProcessorUnavailableError('simulated processor failure', {
          cause: new InjectedFaultError('chaos.errorRate'),
        });
      }
      if (random() < chaos.declineRate) return { status: 'declined', reason: 'simulated decline' };
      return { status: 'captured' };
    },
  };
}
