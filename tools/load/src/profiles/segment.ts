/**
 * One piece of an arrival-rate profile: the rate moves linearly from `fromRate` to `toRate`
 * (requests per second) over `durationMs`. Equal rates make a constant segment; different
 * rates make a ramp. Every profile is a list of these.
 */
export interface Segment {
  /** Length of the segment in milliseconds. */
  readonly durationMs: number;
  /** Arrival rate at the start of the segment, requests per second. */
  readonly fromRate: number;
  /** Arrival rate at the end of the segment, requests per second. */
  readonly toRate: number;
}

/** A constant-rate segment. */
export function constant(rate: number, durationMs: number): Segment {
  return { durationMs, fromRate: rate, toRate: rate };
}

/** A linear ramp from one rate to another. */
export function ramp(fromRate: number, toRate: number, durationMs: number): Segment {
  return { durationMs, fromRate, toRate };
}

/** How many arrivals a segment holds: the integral of its rate over its length. */
export function segmentArrivals(segment: Segment): number {
  return ((segment.fromRate + segment.toRate) / 2) * (segment.durationMs / 1000);
}
