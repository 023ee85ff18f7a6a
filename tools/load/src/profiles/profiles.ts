import { ArrivalSchedule } from './arrival-schedule.ts';
import { constant, ramp, type Segment } from './segment.ts';

/** The named load shapes. */
export const profileNames = ['steady', 'step', 'spike', 'soak'] as const;

/** One of {@link profileNames}. */
export type ProfileName = (typeof profileNames)[number];

/** Parameters of a load profile. Rates are requests per second; durations are milliseconds. */
export interface ProfileOptions {
  /** The shape. @default 'steady' */
  profile?: ProfileName;
  /** Base arrival rate, requests per second. @default 20 */
  rate?: number;
  /** Total length of the run in ms. @default 60_000 (soak: 3_600_000) */
  durationMs?: number;
  /** A linear ramp from 0 to `rate` at the start (steady, soak), in ms. @default 0 (soak: 60_000) */
  rampUpMs?: number;
  /** step: requests per second added at each step. @default equal to `rate` */
  stepRate?: number;
  /** step: time between steps, in ms. @default 30_000 */
  stepIntervalMs?: number;
  /** spike: the spike rate is `rate × spikeMultiplier`. @default 5 */
  spikeMultiplier?: number;
  /** spike: when the spike starts, in ms from the start. @default one third of `durationMs` */
  spikeAfterMs?: number;
  /** spike: how long the spike lasts, in ms. @default 10_000 */
  spikeLengthMs?: number;
}

/** The longest run allowed, in ms (24 h): the generator always stops by itself. */
export const maxDurationMs = 24 * 3_600_000;

/** The highest rate allowed, in requests per second. */
export const maxRate = 100_000;

const defaults = {
  profile: 'steady' as ProfileName,
  rate: 20,
  stepIntervalMs: 30_000,
  spikeMultiplier: 5,
  spikeLengthMs: 10_000,
};

/** A built profile: its name, the options in force, and its arrival schedule. */
export interface Profile {
  readonly name: ProfileName;
  readonly options: Readonly<Required<ProfileOptions>>;
  readonly schedule: ArrivalSchedule;
}

/**
 * Builds the arrival schedule of a profile:
 * - `steady`: optional ramp 0 → rate over `rampUpMs`, then `rate` until the end;
 * - `step`: `rate`, then `rate + stepRate`, `rate + 2·stepRate`, … every `stepIntervalMs`;
 * - `spike`: `rate`, then `rate × spikeMultiplier` for `spikeLengthMs` starting at
 *   `spikeAfterMs`, then `rate` again;
 * - `soak`: `steady` with long defaults (1 h, 1 min ramp-up) to surface leaks and drift.
 */
export function buildProfile(options: ProfileOptions = {}): Profile {
  const profile = options.profile ?? defaults.profile;
  if (!profileNames.includes(profile)) {
    throw new RangeError(`profile must be one of ${profileNames.join(', ')}, got "${profile}"`);
  }
  const soak = profile === 'soak';
  const merged: Required<ProfileOptions> = {
    ...defaults,
    durationMs: soak ? 3_600_000 : 60_000,
    rampUpMs: soak ? 60_000 : 0,
    ...dropUndefined(options),
    profile,
    stepRate: options.stepRate ?? options.rate ?? defaults.rate,
    spikeAfterMs: options.spikeAfterMs ?? Math.floor((options.durationMs ?? 60_000) / 3),
  };
  validate(merged);
  return { name: profile, options: merged, schedule: new ArrivalSchedule(segmentsOf(merged)) };
}

function segmentsOf(o: Required<ProfileOptions>): Segment[] {
  switch (o.profile) {
    case 'steady':
    case 'soak': {
      const rampMs = Math.min(o.rampUpMs, o.durationMs);
      const segments: Segment[] = [];
      if (rampMs > 0) segments.push(ramp(0, o.rate, rampMs));
      if (o.durationMs > rampMs) segments.push(constant(o.rate, o.durationMs - rampMs));
      return segments;
    }
    case 'step': {
      const segments: Segment[] = [];
      for (let start = 0, step = 0; start < o.durationMs; start += o.stepIntervalMs, step += 1) {
        const length = Math.min(o.stepIntervalMs, o.durationMs - start);
        segments.push(constant(Math.min(maxRate, o.rate + step * o.stepRate), length));
      }
      return segments;
    }
    case 'spike': {
      const segments: Segment[] = [];
      const spikeStart = Math.min(o.spikeAfterMs, o.durationMs);
      const spikeEnd = Math.min(spikeStart + o.spikeLengthMs, o.durationMs);
      if (spikeStart > 0) segments.push(constant(o.rate, spikeStart));
      if (spikeEnd > spikeStart) {
        segments.push(constant(o.rate * o.spikeMultiplier, spikeEnd - spikeStart));
      }
      if (o.durationMs > spikeEnd) segments.push(constant(o.rate, o.durationMs - spikeEnd));
      return segments;
    }
  }
}

function validate(o: Required<ProfileOptions>): void {
  if (!(o.rate > 0 && o.rate <= maxRate)) {
    throw new RangeError(`rate must be in (0, ${maxRate}] requests/s, got ${o.rate}`);
  }
  if (!(o.durationMs > 0 && o.durationMs <= maxDurationMs)) {
    throw new RangeError(`durationMs must be in (0, ${maxDurationMs}], got ${o.durationMs}`);
  }
  if (!(o.rampUpMs >= 0)) throw new RangeError(`rampUpMs must be >= 0, got ${o.rampUpMs}`);
  if (!(o.stepRate >= 0)) throw new RangeError(`stepRate must be >= 0, got ${o.stepRate}`);
  if (!(o.stepIntervalMs >= 100)) {
    throw new RangeError(`stepIntervalMs must be >= 100, got ${o.stepIntervalMs}`);
  }
  if (!(o.spikeMultiplier >= 1 && o.rate * o.spikeMultiplier <= maxRate)) {
    throw new RangeError(
      `spikeMultiplier must be >= 1 and keep the rate <= ${maxRate}, got ${o.spikeMultiplier}`,
    );
  }
  if (!(o.spikeAfterMs >= 0)) {
    throw new RangeError(`spikeAfterMs must be >= 0, got ${o.spikeAfterMs}`);
  }
  if (!(o.spikeLengthMs > 0)) {
    throw new RangeError(`spikeLengthMs must be > 0, got ${o.spikeLengthMs}`);
  }
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
