import type { IncomingMessage, ServerResponse } from 'node:http';

/** What graceful shutdown needs of a Node `http.Server` (or `https.Server`). */
export interface ServerLike {
  close(callback?: (error?: Error) => void): unknown;
  closeIdleConnections(): void;
  closeAllConnections(): void;
  on(event: 'request', listener: (req: IncomingMessage, res: ServerResponse) => void): unknown;
  off(event: 'request', listener: (req: IncomingMessage, res: ServerResponse) => void): unknown;
}

/** What graceful shutdown needs of a logger (pino fits). */
export interface ShutdownLogger {
  info(context: object, message: string): void;
  warn(context: object, message: string): void;
  error(context: object, message: string): void;
}

/** Something to close once the server drained: a queue worker, a Redis client, the tracer. */
export interface Closer {
  /** Shown in logs. */
  name: string;
  /** Closes the resource; may return a promise. */
  close: () => unknown;
  /**
   * Longest wait for this closer, in milliseconds; after it the next closer runs.
   * @default the `closerTimeoutMs` option
   */
  timeoutMs?: number;
}

/** The signal source; `process` by default, replaceable in tests. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

/** Options of {@link installGracefulShutdown}. */
export interface GracefulShutdownOptions {
  /** The listening server. */
  server: ServerLike;
  /** Readiness to fail as the first step. @default none */
  health?: { setShuttingDown(): void };
  /**
   * Wait between failing readiness and closing the listener, in milliseconds, so that load
   * balancers and Kubernetes endpoints stop sending traffic before connections are refused.
   * @default 0
   */
  preStopDelayMs?: number;
  /**
   * Longest wait for in-flight requests after the listener closed, in milliseconds; past it the
   * remaining connections are destroyed and the process exits 1.
   * @default 10000
   */
  drainTimeoutMs?: number;
  /**
   * Default longest wait per closer, in milliseconds.
   * @default 5000
   */
  closerTimeoutMs?: number;
  /** Closers, in order of registration; they run in REVERSE order. @default [] */
  closers?: readonly Closer[];
  /** Where progress is logged. @default console */
  logger?: ShutdownLogger;
  /** Ends the process. @default process.exit */
  exit?: (code: number) => void;
  /** Signals that start the shutdown. @default ['SIGTERM', 'SIGINT'] */
  signals?: readonly NodeJS.Signals[];
  /** Where signals come from. @default process */
  signalSource?: SignalSource;
}

/** The handle of an installed graceful shutdown. */
export interface GracefulShutdown {
  /** Adds a closer; closers run in reverse order of registration. */
  register(closer: Closer): void;
  /**
   * Starts the shutdown as a signal would (a second call forces exit 1); resolves when the
   * sequence ended and `exit` was called.
   */
  shutdown(reason?: string): Promise<void>;
  /** True once shutdown began. */
  readonly shuttingDown: boolean;
  /** Removes the signal and request listeners (for tests and hot restarts). */
  dispose(): void;
}

const consoleLogger: ShutdownLogger = {
  info: (context, message) => console.log(message, context),
  warn: (context, message) => console.warn(message, context),
  error: (context, message) => console.error(message, context),
};

const defaults = {
  preStopDelayMs: 0,
  drainTimeoutMs: 10_000,
  closerTimeoutMs: 5_000,
  closers: [] as readonly Closer[],
  logger: consoleLogger,
  exit: (code: number): void => process.exit(code),
  signals: ['SIGTERM', 'SIGINT'] as readonly NodeJS.Signals[],
} as const;

/**
 * Graceful shutdown of an HTTP service. On SIGTERM or SIGINT (or {@link GracefulShutdown.shutdown}):
 * 1. readiness turns 503 (`health.setShuttingDown()`);
 * 2. after `preStopDelayMs`, the listener closes (`server.close`) and idle keep-alive sockets
 *    are closed; every response still in flight, and any request arriving on a kept-alive
 *    socket meanwhile, answers with `Connection: close`, so clients do not reuse the socket;
 * 3. in-flight requests finish, bounded by `drainTimeoutMs`;
 * 4. closers run one at a time in reverse order of registration (queue workers, then Redis,
 *    then the telemetry flush), each bounded by its timeout; a failing closer is logged;
 * 5. exit 0.
 * A second signal, or the drain deadline, logs an error line and exits 1 at once.
 */
export function installGracefulShutdown(options: GracefulShutdownOptions): GracefulShutdown {
  const o = { ...defaults, ...options };
  for (const key of ['preStopDelayMs', 'drainTimeoutMs', 'closerTimeoutMs'] as const) {
    if (!Number.isFinite(o[key]) || o[key] < 0) {
      throw new RangeError(`${key} must be a non-negative number of milliseconds, got ${o[key]}`);
    }
  }
  const signalSource: SignalSource = options.signalSource ?? process;
  const closers: Closer[] = [...o.closers];
  const inFlight = new Set<ServerResponse>();
  let phase: 'running' | 'stopping' | 'exited' = 'running';
  let draining = false;
  let sequence: Promise<void> | undefined;

  // A function, not an inline comparison: `phase` changes across the awaits of the sequence.
  const exited = () => phase === 'exited';
  const exit = (code: number) => {
    if (exited()) return;
    phase = 'exited';
    o.exit(code);
  };

  const onRequest = (_req: IncomingMessage, res: ServerResponse) => {
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
    if (draining && !res.headersSent) res.setHeader('Connection', 'close');
  };

  const sequenceSteps = async (reason: string): Promise<void> => {
    o.logger.info({ reason, inFlight: inFlight.size }, 'shutdown started');
    o.health?.setShuttingDown();
    // From now on every response tells its client not to reuse the socket: the next request
    // then opens a new connection, which the load balancer sends to another instance.
    draining = true;
    for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    if (o.preStopDelayMs > 0) await sleep(o.preStopDelayMs);
    if (exited()) return;

    const closed = new Promise<void>((resolve) => o.server.close(() => resolve()));
    o.server.closeIdleConnections();
    const drained = await raceTimeout(closed, o.drainTimeoutMs);
    if (exited()) return;
    if (!drained) {
      o.logger.error(
        { drainTimeoutMs: o.drainTimeoutMs, inFlight: inFlight.size },
        'drain deadline passed with requests in flight, forcing exit',
      );
      o.server.closeAllConnections();
      exit(1);
      return;
    }
    o.logger.info({}, 'server drained');

    for (const closer of [...closers].reverse()) {
      if (exited()) return;
      const timeoutMs = closer.timeoutMs ?? o.closerTimeoutMs;
      try {
        const done = await raceTimeout(Promise.resolve().then(closer.close), timeoutMs);
        if (done) o.logger.info({ closer: closer.name }, 'closed');
        else o.logger.warn({ closer: closer.name, timeoutMs }, 'closer timed out');
      } catch (error) {
        o.logger.error({ closer: closer.name, err: error }, 'closer failed');
      }
    }
    if (exited()) return;
    o.logger.info({}, 'shutdown complete');
    exit(0);
  };

  const shutdown = (reason = 'shutdown requested'): Promise<void> => {
    if (phase === 'running') {
      phase = 'stopping';
      sequence = sequenceSteps(reason);
      return sequence;
    }
    if (phase === 'stopping') {
      o.logger.error({ reason }, 'second shutdown request, forcing exit');
      o.server.closeAllConnections();
      exit(1);
    }
    return sequence ?? Promise.resolve();
  };

  const onSignal = (signal: NodeJS.Signals) => void shutdown(signal);
  o.server.on('request', onRequest);
  for (const signal of o.signals) signalSource.on(signal, onSignal);

  return {
    register(closer) {
      closers.push(closer);
    },
    shutdown,
    get shuttingDown() {
      return phase !== 'running';
    },
    dispose() {
      o.server.off('request', onRequest);
      for (const signal of o.signals) signalSource.off(signal, onSignal);
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** True when `work` settled within `timeoutMs`, false when the time ran out first. */
async function raceTimeout(work: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([work.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
