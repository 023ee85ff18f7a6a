/** A loop that runs `tick` every `intervalMs` without overlapping itself. */
export interface Poller {
  /** Stops the loop and waits for a running tick. */
  stop(): Promise<void>;
}

/**
 * Calls `tick` now and then every `intervalMs` (measured start to start; a slow tick delays the
 * next one instead of piling up). Errors of a tick are swallowed: samplers record what they saw.
 */
export function startPoller(intervalMs: number, tick: () => Promise<void>): Poller {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      const started = performance.now();
      try {
        await tick();
      } catch {
        // a sampler's tick records failures itself
      }
      const waitMs = Math.max(0, intervalMs - (performance.now() - started));
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, waitMs);
      });
    }
  })();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      await loop;
    },
  };
}
