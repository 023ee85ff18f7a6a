/** One sample of the Prometheus text exposition format. */
export interface MetricSample {
  /** Series name as written, e.g. `http_server_request_duration_seconds_count`. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Label matchers: a string must equal, a RegExp must match, a function must accept. */
export type LabelMatchers = Readonly<Record<string, string | RegExp | ((value: string) => boolean)>>;

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

/**
 * Parses Prometheus text format (what `GET /metrics` answers without an OpenMetrics `Accept`).
 * Comments, `# HELP`/`# TYPE` lines and exemplars are skipped; values such as `+Inf` and `NaN`
 * are parsed as numbers.
 */
export function parsePrometheusText(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const name = metricName.exec(line)?.[0];
    if (name === undefined) continue;
    let rest = line.slice(name.length);
    let labelText = '';
    if (rest.startsWith('{')) {
      const close = closingBrace(rest);
      if (close < 0) continue;
      labelText = rest.slice(1, close);
      rest = rest.slice(close + 1);
    }
    // `value [timestamp] [# exemplar]`
    const value = parseValue(rest.trim().split(/\s+/)[0] ?? '');
    if (value === undefined) continue;
    samples.push({ name, labels: parseLabels(labelText), value });
  }
  return samples;
}

/** Index of the `}` closing the label set that `text` starts with, quotes respected; -1 if none. */
function closingBrace(text: string): number {
  let quoted = false;
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (c === '}' && !quoted) return i;
  }
  return -1;
}

function parseValue(text: string): number | undefined {
  if (text === '') return undefined;
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  const value = Number(text);
  return Number.isNaN(value) ? undefined : value;
}

/** Parses `a="x",b="y \"quoted\""` (escapes `\\`, `\"`, `\n`). */
function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    while (text[i] === ',' || text[i] === ' ') i++;
    const eq = text.indexOf('=', i);
    if (eq < 0) break;
    const key = text.slice(i, eq).trim();
    i = eq + 1;
    if (text[i] !== '"') break;
    i++;
    let value = '';
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\' && i + 1 < text.length) {
        const next = text[i + 1]!;
        value += next === 'n' ? '\n' : next;
        i += 2;
      } else {
        value += text[i]!;
        i++;
      }
    }
    i++;
    labels[key] = value;
  }
  return labels;
}

/** Whether a sample's labels satisfy every matcher (a missing label is the empty string). */
export function labelsMatch(labels: Readonly<Record<string, string>>, matchers: LabelMatchers = {}): boolean {
  for (const [key, matcher] of Object.entries(matchers)) {
    const value = labels[key] ?? '';
    if (
      typeof matcher === 'string'
        ? value !== matcher
        : matcher instanceof RegExp
          ? !matcher.test(value)
          : !matcher(value)
    ) {
      return false;
    }
  }
  return true;
}

/** Sum of the values of the series `name` whose labels match (0 when none does). */
export function sumSamples(
  samples: readonly MetricSample[],
  name: string,
  matchers: LabelMatchers = {},
): number {
  let sum = 0;
  for (const sample of samples) {
    if (sample.name === name && labelsMatch(sample.labels, matchers)) sum += sample.value;
  }
  return sum;
}

/** Largest value of the matching series of `name`, or undefined when none matches. */
export function maxSample(
  samples: readonly MetricSample[],
  name: string,
  matchers: LabelMatchers = {},
): number | undefined {
  let max: number | undefined;
  for (const sample of samples) {
    if (sample.name === name && labelsMatch(sample.labels, matchers))
      max = Math.max(max ?? -Infinity, sample.value);
  }
  return max;
}
