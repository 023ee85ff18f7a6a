import type { DestinationStream } from 'pino';

/** A pino destination that keeps every line in memory, raw and parsed. */
export interface CapturedLines extends DestinationStream {
  readonly raw: string[];
  parsed(): Record<string, unknown>[];
}

/** Creates a {@link CapturedLines} destination. */
export function captureLines(): CapturedLines {
  const raw: string[] = [];
  return {
    raw,
    write(line: string) {
      raw.push(line);
    },
    parsed: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
