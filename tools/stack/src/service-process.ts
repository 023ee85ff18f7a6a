import type { ServiceName } from './services.ts';

/** How a service process ended. */
export interface ProcessExit {
  /** Exit code, or null when a signal ended it. */
  readonly code: number | null;
  /** The signal that ended it, or null. */
  readonly signal: NodeJS.Signals | null;
}

/**
 * One replica of a service: a real child `node --import @shipshape/observability/register
 * services/<service>/dist/main.js` on a fixed 127.0.0.1 port that survives restarts.
 */
export interface ServiceProcess {
  readonly service: ServiceName;
  /** 0-based index among the replicas of {@link service}. */
  readonly replica: number;
  /** `<service>-<replica>`, the log prefix. */
  readonly name: string;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** PID of the running child, undefined while it is down. */
  readonly pid: number | undefined;
  /** Whether a child is running (started and not exited). */
  readonly running: boolean;
  /** How the last child ended, undefined while none has. */
  readonly lastExit: ProcessExit | undefined;
  /**
   * Calls `listener` whenever a child of this replica ends (crash, kill, stop). Returns a
   * function that unsubscribes.
   */
  onExit(listener: (exit: ProcessExit) => void): () => void;
  /** The captured output lines (stdout and stderr), oldest first, at most `logLines`. */
  logs(): string[];
  /**
   * Sends `signal` and resolves once the child exited (no grace period, no escalation).
   * Resolves at once when it is not running.
   * @default signal 'SIGKILL'
   */
  kill(signal?: NodeJS.Signals): Promise<ProcessExit | undefined>;
  /** Graceful stop: SIGTERM (the service drains), SIGKILL after `stopTimeoutMs`. */
  stop(): Promise<ProcessExit | undefined>;
  /** Starts a child on the same port and waits until `GET /ready` answers 200. */
  start(): Promise<void>;
  /** {@link stop}, then {@link start}. */
  restart(): Promise<void>;
  /** Waits until `GET /ready` answers 200; rejects (with the last log lines) when the child exits or time runs out. */
  waitReady(timeoutMs?: number): Promise<void>;
}
