import type { ServiceName } from '@shipshape/stack';
import type { ScenarioEnvironment } from '../environment/environment.ts';
import { startPoller } from './poller.ts';

/** One poll of `GET /ready` on every replica: replica name → status code (0: no answer). */
export interface ReadinessRound {
  readonly tMs: number;
  readonly status: Readonly<Record<string, number>>;
}

/** When each replica was not ready, from a {@link ReadinessSampler}'s rounds. */
export interface ReadinessSummary {
  /** Replica name → first time it answered anything but 200 at or after `fromMs`. */
  readonly firstNotReadyMs: Readonly<Record<string, number>>;
  /** Replica name → first time it answered 200 again after being not ready. */
  readonly readyAgainMs: Readonly<Record<string, number>>;
}

/**
 * Polls `GET /ready` of every replica of the given services while a scenario runs, so a
 * hypothesis can say when readiness dropped and when it came back.
 */
export class ReadinessSampler {
  readonly #rounds: ReadinessRound[] = [];
  readonly #environment: ScenarioEnvironment;
  readonly #services: readonly ServiceName[];
  readonly #elapsedMs: () => number;
  #poller: ReturnType<typeof startPoller> | undefined;

  constructor(environment: ScenarioEnvironment, services: readonly ServiceName[], elapsedMs: () => number) {
    this.#environment = environment;
    this.#services = services;
    this.#elapsedMs = elapsedMs;
  }

  /** Starts polling (no-op without services). */
  start(intervalMs: number): void {
    if (this.#services.length === 0 || this.#poller) return;
    this.#poller = startPoller(intervalMs, async () => {
      const tMs = this.#elapsedMs();
      const status: Record<string, number> = {};
      await Promise.all(
        this.#services.flatMap((service) =>
          this.#environment.urls(service).map(async (url, replica) => {
            status[`${service}-${replica}`] = await readyStatus(url, Math.max(200, intervalMs * 2));
          }),
        ),
      );
      this.#rounds.push({ tMs, status });
    });
  }

  async stop(): Promise<void> {
    await this.#poller?.stop();
    this.#poller = undefined;
  }

  get rounds(): readonly ReadinessRound[] {
    return this.#rounds;
  }

  /** When each replica dropped out of readiness at or after `fromMs`, and when it came back. */
  summary(fromMs = Number.NEGATIVE_INFINITY): ReadinessSummary {
    const firstNotReadyMs: Record<string, number> = {};
    const readyAgainMs: Record<string, number> = {};
    for (const round of this.#rounds) {
      if (round.tMs < fromMs) continue;
      for (const [replica, status] of Object.entries(round.status)) {
        if (status !== 200 && firstNotReadyMs[replica] === undefined) firstNotReadyMs[replica] = round.tMs;
        if (status === 200 && firstNotReadyMs[replica] !== undefined && readyAgainMs[replica] === undefined) {
          readyAgainMs[replica] = round.tMs;
        }
      }
    }
    return { firstNotReadyMs, readyAgainMs };
  }
}

/** Status code of `GET <url>/ready`, 0 when it did not answer in time. */
export async function readyStatus(url: string, timeoutMs: number): Promise<number> {
  try {
    const response = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.status;
  } catch {
    return 0;
  }
}
