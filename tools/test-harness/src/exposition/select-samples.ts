import type { Exposition, Sample } from './parse-exposition.ts';

/** Label matchers: a string must equal, a RegExp must match, a function must accept. */
export type LabelMatchers = Readonly<Record<string, string | RegExp | ((value: string) => boolean)>>;

/** What the selectors read: a parsed exposition or its samples. */
export type Samples = Exposition | readonly Sample[];

const samplesIn = (from: Samples): readonly Sample[] => ('samples' in from ? from.samples : from);

/**
 * Whether `labels` satisfy every matcher. A missing label reads as the empty string, as in
 * PromQL, so `{ peer: '' }` selects the series without a `peer` label.
 */
export function labelsMatch(labels: Readonly<Record<string, string>>, matchers: LabelMatchers = {}): boolean {
  for (const [key, matcher] of Object.entries(matchers)) {
    const value = labels[key] ?? '';
    const ok =
      typeof matcher === 'string'
        ? value === matcher
        : matcher instanceof RegExp
          ? matcher.test(value)
          : matcher(value);
    if (!ok) return false;
  }
  return true;
}

/** The samples called `name` (exactly) whose labels match `matchers`, in text order. */
export function samplesOf(from: Samples, name: string, matchers: LabelMatchers = {}): Sample[] {
  return samplesIn(from).filter((s) => s.name === name && labelsMatch(s.labels, matchers));
}

/** The value of the one matching sample; throws when there is not exactly one. */
export function valueOf(from: Samples, name: string, matchers: LabelMatchers = {}): number {
  const found = samplesOf(from, name, matchers);
  if (found.length !== 1) {
    throw new Error(`expected 1 sample of ${name} ${JSON.stringify(matchers)}, found ${found.length}`);
  }
  return found[0]!.value;
}

/** The sum of the matching samples' values (0 when none matches). */
export function sumSamples(from: Samples, name: string, matchers: LabelMatchers = {}): number {
  return samplesOf(from, name, matchers).reduce((sum, s) => sum + s.value, 0);
}

/** The largest matching value, or undefined when none matches. */
export function maxSample(from: Samples, name: string, matchers: LabelMatchers = {}): number | undefined {
  const found = samplesOf(from, name, matchers);
  return found.length === 0 ? undefined : Math.max(...found.map((s) => s.value));
}

/** Every series name that has a sample (`…_bucket`, `…_sum`, `…_count`, gauges, counters). */
export function sampleNames(from: Samples): Set<string> {
  return new Set(samplesIn(from).map((s) => s.name));
}
