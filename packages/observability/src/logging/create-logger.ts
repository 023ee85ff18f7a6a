import { mkdirSync, openSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import type { DestinationStream, Logger } from 'pino';
import { pino } from 'pino';
import {
  createSecretScrubber,
  defaultRedactPaths,
  idempotencyKeyRedactPaths,
  redactedText,
} from './redaction.ts';
import { rememberRedactPaths } from './flat-line-logger.ts';
import { correlationMixin } from './trace-mixin.ts';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** The `service` field of every line (the same value as the metrics' `service` label). */
  service: string;
  /**
   * Minimum level: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`.
   * @default process.env.LOG_LEVEL, else 'info'
   */
  level?: string;
  /**
   * Where lines go: a pino destination stream, a file path (appended to, folders created), or
   * a file descriptor.
   * @default 1 (stdout)
   */
  destination?: DestinationStream | string | number;
  /**
   * For a path or descriptor destination: write asynchronously, buffering up to `bufferBytes`.
   * Asynchronous writes keep logging off the request path; pino flushes the buffer
   * synchronously when the process exits.
   * @default false
   */
  sync?: boolean;
  /**
   * For an asynchronous path or descriptor destination: bytes buffered before a write. `0`
   * writes on every tick; 4096 cuts system calls under load at the price of lines arriving a
   * little later.
   * @default 0 (bytes)
   */
  bufferBytes?: number;
  /** Extra pino `redact` paths, on top of the credential headers always redacted. */
  redactPaths?: readonly string[];
  /**
   * Also redact `Idempotency-Key` header values.
   * @default false
   */
  redactIdempotencyKey?: boolean;
  /**
   * Secret values (passwords, tokens, e.g. the secret fields of the loaded configuration) to
   * scrub from every line, wherever they appear.
   * @default []
   */
  secretValues?: Iterable<string>;
}

const levels = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const defaults = {
  destination: 1,
  sync: false,
  bufferBytes: 0,
  redactPaths: [],
  redactIdempotencyKey: false,
  secretValues: [],
} satisfies Partial<LoggerOptions>;

/**
 * Creates the JSON logger every service uses: pino with the level as text, an ISO timestamp,
 * `service`, `pid`, `hostname`, the active `trace_id`/`span_id` and the `request_id` on every
 * line, credential headers redacted and configured secret values scrubbed.
 */
export function createLogger(options: LoggerOptions): Logger {
  const settings = { ...defaults, ...options };
  const level = settings.level ?? process.env['LOG_LEVEL'] ?? 'info';
  if (typeof settings.service !== 'string' || settings.service.length === 0) {
    throw new RangeError(`service must be a non-empty string, got ${JSON.stringify(settings.service)}`);
  }
  if (!levels.has(level)) {
    throw new RangeError(`level must be one of ${[...levels].join(', ')}, got ${JSON.stringify(level)}`);
  }
  if (!Number.isInteger(settings.bufferBytes) || settings.bufferBytes < 0) {
    throw new RangeError(`bufferBytes must be a non-negative integer, got ${settings.bufferBytes}`);
  }
  const scrub = createSecretScrubber(settings.secretValues);
  const destination =
    typeof settings.destination === 'object'
      ? settings.destination
      : pino.destination({
          dest: openDestination(settings.destination),
          sync: settings.sync,
          minLength: settings.sync ? 0 : settings.bufferBytes,
          // sonic-boom measures the byte length of its last pending chunk on every write, which
          // flattens it: with its 16 KiB default that cost ≈1 µs per line under load here.
          // Chunks just over `bufferBytes` keep that short and still batch the writes.
          maxWrite: Math.max(4096, (settings.sync ? 0 : settings.bufferBytes) + 1024),
        });
  const redactPaths = [
    ...defaultRedactPaths,
    ...(settings.redactIdempotencyKey ? idempotencyKeyRedactPaths : []),
    ...settings.redactPaths,
  ];
  const logger = pino(
    {
      level,
      base: { service: settings.service, pid: process.pid, hostname: hostname() },
      timestamp: cachedIsoTime(),
      formatters: { level: (label) => ({ level: label }) },
      mixin: correlationMixin,
      redact: { paths: redactPaths, censor: redactedText },
      ...(scrub ? { hooks: { streamWrite: scrub } } : {}),
    },
    destination,
  );
  rememberRedactPaths(logger, redactPaths);
  return logger;
}

/**
 * pino's `stdTimeFunctions.isoTime` (`,"time":"2026-11-28T13:41:45.120Z"`), formatted once per
 * millisecond: under load several lines share a millisecond, and `Date#toISOString` was ≈1 µs
 * of each access line here.
 */
function cachedIsoTime(): () => string {
  let lastMs = Number.NaN;
  let last = '';
  return () => {
    const now = Date.now();
    if (now !== lastMs) {
      lastMs = now;
      last = `,"time":"${new Date(now).toISOString()}"`;
    }
    return last;
  };
}

/**
 * Opens a file destination synchronously: an asynchronous open leaves sonic-boom "not ready"
 * for a moment, and a process exiting in that moment throws from pino's exit flush.
 */
function openDestination(destination: string | number): number {
  if (typeof destination === 'number') return destination;
  mkdirSync(dirname(destination), { recursive: true });
  return openSync(destination, 'a');
}
