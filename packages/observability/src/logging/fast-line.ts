import type { Logger } from 'pino';
import { pino } from 'pino';

const { chindingsSym, endSym, hooksSym, lsCacheSym, needsMetadataGsym, streamSym, timeSym } = pino.symbols;

/** The loggers `createLogger` made (not their children, which may carry other bindings). */
const fastLoggers = new WeakSet<Logger>();

interface PinoStream {
  write(line: string): unknown;
}

/** A pino internal, by its `pino.symbols` key. */
function internal<T>(logger: Logger, key: symbol): T {
  return (logger as unknown as Record<symbol, T>)[key]!;
}

/** Marks a logger built by `createLogger` as one {@link writeFastLine} may write for. */
export function allowFastLines(logger: Logger): void {
  fastLoggers.add(logger);
}

/**
 * Writes `{"level":…,"time":…,<bindings><fields>,"msg":<msg>}` for `logger` the way pino would
 * for an object whose values are plain strings and numbers, through the logger's own level
 * cache, time function, bindings, `streamWrite` hook (the secret scrubber) and destination,
 * skipping what such a line does not need: the mixin (the caller puts the ids in `fields`),
 * the redaction of each key, and pino's key-by-key serialization. `fields` is the JSON of
 * the fields, each `,"key":value`. Returns false, writing nothing, for a logger `createLogger`
 * did not make (a child, or any other pino logger) or a destination that wants pino's
 * metadata (multistream): the caller then logs the usual way. A level that is off writes
 * nothing and returns true.
 */
export function writeFastLine(
  logger: Logger,
  level: 'info' | 'warn' | 'error',
  fields: string,
  msg: string,
): boolean {
  if (!fastLoggers.has(logger)) return false;
  const stream = internal<PinoStream>(logger, streamSym);
  if ((stream as unknown as Record<symbol, unknown>)[needsMetadataGsym] === true) return false;
  if (!logger.isLevelEnabled(level)) return true;
  const prefix = internal<Record<number, string>>(logger, lsCacheSym)[logger.levels.values[level]!]!;
  const time = internal<() => string>(logger, timeSym)();
  const bindings = internal<string>(logger, chindingsSym);
  const end = internal<string>(logger, endSym);
  const line = `${prefix}${time}${bindings}${fields},"msg":${JSON.stringify(msg)}${end}`;
  const hook = internal<{ streamWrite?: (line: string) => string }>(logger, hooksSym).streamWrite;
  stream.write(hook === undefined ? line : hook(line));
  return true;
}
