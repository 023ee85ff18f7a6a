import type { Request, RequestHandler, Response } from 'express';

/**
 * A readiness check. It passes by resolving (to anything but `false`); it fails by throwing,
 * rejecting, resolving `false`, or outliving its timeout — after which `signal` aborts so the
 * check can stop its work.
 */
export type HealthCheck = (signal: AbortSignal) => unknown;

/** The result of one check. */
export interface CheckResult {
  status: 'ok' | 'failed';
  /** How long the check ran, in milliseconds. */
  durationMs: number;
  /**
   * Why it failed: `timeout`, `unhealthy` (resolved false), the error's string `code` when it
   * has one (`ECONNREFUSED`), else `error`. Never the error message, which may name hosts.
   */
  reason?: string;
}

/** The `/ready` body. */
export interface ReadinessReport {
  status: 'ok' | 'unavailable';
  /** True once shutdown began; no check runs then. */
  shuttingDown: boolean;
  /** Names of the failing checks (`shutdown` while shutting down). */
  failing: string[];
  checks: Record<string, CheckResult>;
}

/** What health needs of a logger (pino fits). */
export interface HealthLogger {
  warn(context: object, message: string): void;
}

/** Options of {@link createHealth}. */
export interface HealthOptions {
  /** Checks registered from the start, by name. @default {} */
  checks?: Record<string, HealthCheck>;
  /**
   * How long a readiness result is reused, in milliseconds, so that frequent probes (several
   * kubelets, load balancers) do not hammer Redis and upstreams. 0 disables the cache.
   * @default 1000
   */
  cacheMs?: number;
  /**
   * Longest time one check may take, in milliseconds, before it counts as failed.
   * @default 2000
   */
  timeoutMs?: number;
  /** Receives the error of each failed check (with its message, which the body omits). @default none */
  logger?: HealthLogger;
  /** Clock in milliseconds, for tests. @default performance.now */
  now?: () => number;
}

const defaults = {
  checks: {} as Record<string, HealthCheck>,
  cacheMs: 1000,
  timeoutMs: 2000,
  now: () => performance.now(),
} as const;

/**
 * Liveness and readiness. Liveness (`/health`) says the process is alive and checks nothing,
 * so that a dependency outage never gets a healthy process restarted. Readiness (`/ready`)
 * runs every registered check concurrently, each bounded by `timeoutMs`, caches the result for
 * `cacheMs`, and answers 503 listing the failing checks — or 503 at once when shutdown began,
 * so load balancers stop routing here before the server stops accepting connections.
 */
export class Health {
  readonly #checks = new Map<string, HealthCheck>();
  readonly #details = new Map<string, () => unknown>();
  readonly #cacheMs: number;
  readonly #timeoutMs: number;
  readonly #logger: HealthLogger | undefined;
  readonly #now: () => number;
  #shuttingDown = false;
  #cached: { at: number; report: ReadinessReport } | undefined;
  #running: Promise<ReadinessReport> | undefined;

  constructor(options: HealthOptions = {}) {
    const merged = { ...defaults, ...options };
    if (!Number.isFinite(merged.cacheMs) || merged.cacheMs < 0) {
      throw new RangeError(`cacheMs must be a non-negative number of milliseconds, got ${merged.cacheMs}`);
    }
    if (!Number.isFinite(merged.timeoutMs) || merged.timeoutMs <= 0) {
      throw new RangeError(`timeoutMs must be a positive number of milliseconds, got ${merged.timeoutMs}`);
    }
    this.#cacheMs = merged.cacheMs;
    this.#timeoutMs = merged.timeoutMs;
    this.#logger = merged.logger;
    this.#now = merged.now;
    for (const [name, check] of Object.entries(merged.checks)) this.register(name, check);
  }

  /** Adds a readiness check; disposing removes it. Names are unique. */
  register(name: string, check: HealthCheck): { dispose(): void } {
    if (this.#checks.has(name))
      throw new RangeError(`a check named ${JSON.stringify(name)} is already registered`);
    this.#checks.set(name, check);
    this.#cached = undefined;
    return {
      dispose: () => {
        if (this.#checks.get(name) === check) this.#checks.delete(name);
        this.#cached = undefined;
      },
    };
  }

  /**
   * Adds a readiness-neutral detail shown by `GET /health` under `details.<name>` (for example how
   * far a queue is behind). `read` must be synchronous and cheap, answering from memory: liveness
   * checks nothing, and a detail never fails it. Disposing removes it. Names are unique.
   */
  detail(name: string, read: () => unknown): { dispose(): void } {
    if (this.#details.has(name))
      throw new RangeError(`a detail named ${JSON.stringify(name)} is already registered`);
    this.#details.set(name, read);
    return {
      dispose: () => {
        if (this.#details.get(name) === read) this.#details.delete(name);
      },
    };
  }

  /** Makes readiness fail from now on (graceful shutdown calls it first). */
  setShuttingDown(): void {
    this.#shuttingDown = true;
  }

  /** True once {@link setShuttingDown} was called. */
  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /** The readiness report: cached for `cacheMs`; concurrent callers share one evaluation. */
  async readiness(): Promise<ReadinessReport> {
    if (this.#shuttingDown)
      return { status: 'unavailable', shuttingDown: true, failing: ['shutdown'], checks: {} };
    if (this.#cached && this.#now() - this.#cached.at < this.#cacheMs) return this.#cached.report;
    this.#running ??= this.#evaluate().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /**
   * `GET /health`: 200 `{ status: 'ok' }`, no dependency checked; with {@link detail}s registered,
   * `{ status: 'ok', details: { <name>: … } }` (a detail that throws shows `{ error: true }`).
   */
  livenessHandler(): RequestHandler {
    return (_req: Request, res: Response) => {
      res.setHeader('Cache-Control', 'no-store');
      if (this.#details.size === 0) {
        res.status(200).json({ status: 'ok' });
        return;
      }
      const details: Record<string, unknown> = {};
      for (const [name, read] of this.#details) {
        try {
          details[name] = read();
        } catch {
          details[name] = { error: true };
        }
      }
      res.status(200).json({ status: 'ok', details });
    };
  }

  /** `GET /ready`: 200 with the report when every check passes, else 503 with the report. */
  readinessHandler(): RequestHandler {
    return async (_req: Request, res: Response) => {
      const report = await this.readiness();
      res.setHeader('Cache-Control', 'no-store');
      res.status(report.status === 'ok' ? 200 : 503).json(report);
    };
  }

  async #evaluate(): Promise<ReadinessReport> {
    const entries = [...this.#checks.entries()];
    const results = await Promise.all(entries.map(([name, check]) => this.#run(name, check)));
    const checks = Object.fromEntries(entries.map(([name], i) => [name, results[i]!]));
    const failing = entries.filter((_, i) => results[i]!.status === 'failed').map(([name]) => name);
    const report: ReadinessReport = {
      status: failing.length === 0 && !this.#shuttingDown ? 'ok' : 'unavailable',
      shuttingDown: this.#shuttingDown,
      failing: this.#shuttingDown ? ['shutdown', ...failing] : failing,
      checks,
    };
    this.#cached = { at: this.#now(), report };
    return report;
  }

  async #run(name: string, check: HealthCheck): Promise<CheckResult> {
    const start = this.#now();
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.#timeoutMs);
    });
    try {
      const outcome = await Promise.race([Promise.resolve().then(() => check(controller.signal)), timedOut]);
      const durationMs = Math.round(this.#now() - start);
      if (outcome === 'timeout') {
        controller.abort(new DOMException(`check took longer than ${this.#timeoutMs} ms`, 'TimeoutError'));
        this.#logger?.warn({ check: name, timeoutMs: this.#timeoutMs }, 'readiness check timed out');
        return { status: 'failed', durationMs, reason: 'timeout' };
      }
      if (outcome === false) {
        this.#logger?.warn({ check: name }, 'readiness check unhealthy');
        return { status: 'failed', durationMs, reason: 'unhealthy' };
      }
      return { status: 'ok', durationMs };
    } catch (error) {
      this.#logger?.warn({ check: name, err: error }, 'readiness check failed');
      const code = (error as { code?: unknown } | null)?.code;
      const reason = typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? code : 'error';
      return { status: 'failed', durationMs: Math.round(this.#now() - start), reason };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Creates the {@link Health} of a service. */
export function createHealth(options: HealthOptions = {}): Health {
  return new Health(options);
}
