// The one reader of the Prometheus text format and the OpenMetrics text format in this
// repository (what `GET /metrics` answers), for tests and for the tools that read a live
// /metrics (scenarios, stack, load checks). It is strict: a line it does not understand throws,
// so a malformed exposition fails the test or the tool that reads it instead of being skipped.

/** An OpenMetrics exemplar attached to a sample (`… # {trace_id="…"} 0.1 1700000000`). */
export interface Exemplar {
  labels: Record<string, string>;
  value: number;
  /** Seconds since the epoch, when the exemplar carries one. */
  timestamp?: number;
}

/** One sample line: series name as written (`…_bucket`, `…_count`, `…_total`), labels, value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  /** The value; `+Inf`, `-Inf` and `NaN` are read as the JavaScript numbers. */
  value: number;
  exemplar?: Exemplar;
}

/** A whole exposition: metadata by metric family name, and every sample in text order. */
export interface Exposition {
  /** `# TYPE` by family name (`counter`, `gauge`, `histogram`, …). */
  types: Map<string, string>;
  /** `# HELP` by family name. */
  help: Map<string, string>;
  samples: Sample[];
  /** True when the text ended with OpenMetrics' `# EOF`. */
  sawEof: boolean;
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const metaLine = /^# (HELP|TYPE|UNIT) ([a-zA-Z_:][a-zA-Z0-9_:]*) ?(.*)$/;

/**
 * Parses a Prometheus text or OpenMetrics text exposition. Throws an `Error` naming the line on
 * anything it does not understand: an unknown comment, a bad sample, a bad number, a duplicate
 * label, an unterminated label value, content after `# EOF`.
 */
export function parseExposition(text: string): Exposition {
  const out: Exposition = { types: new Map(), help: new Map(), samples: [], sawEof: false };
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (out.sawEof) throw new Error(`content after # EOF: ${line}`);
    if (line === '# EOF') {
      out.sawEof = true;
      continue;
    }
    const meta = metaLine.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta;
      if (kind === 'TYPE') out.types.set(name!, rest!);
      if (kind === 'HELP') out.help.set(name!, rest!);
      continue;
    }
    if (line.startsWith('#')) throw new Error(`unknown comment line: ${line}`);
    out.samples.push(parseSample(line));
  }
  return out;
}

function parseSample(line: string): Sample {
  const name = metricName.exec(line)?.[0];
  if (name === undefined) throw new Error(`bad sample line: ${line}`);
  let pos = name.length;
  let labels: Record<string, string> = {};
  if (line[pos] === '{') [labels, pos] = parseLabels(line, pos);
  const [valuePart, exemplarPart] = line.slice(pos).split(' # ');
  const fields = valuePart!.trim().split(/\s+/);
  if (fields.length > 2) throw new Error(`bad value in: ${line}`);
  const sample: Sample = { name, labels, value: parseNumber(fields[0]!, line) };
  if (exemplarPart !== undefined) sample.exemplar = parseExemplar(exemplarPart, line);
  return sample;
}

function parseExemplar(text: string, line: string): Exemplar {
  if (text[0] !== '{') throw new Error(`bad exemplar in: ${line}`);
  const [labels, end] = parseLabels(text, 0);
  const fields = text.slice(end).trim().split(/\s+/);
  const exemplar: Exemplar = { labels, value: parseNumber(fields[0]!, line) };
  if (fields[1] !== undefined) exemplar.timestamp = parseNumber(fields[1], line);
  return exemplar;
}

function parseNumber(text: string, line: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  const n = Number(text);
  if (text === '' || (Number.isNaN(n) && text !== 'NaN')) throw new Error(`bad number ${text} in: ${line}`);
  return n;
}

/** Reads `{a="x",b="y \"q\""}` starting at the `{` at `start`; returns the labels and the index after `}`. */
function parseLabels(text: string, start: number): [Record<string, string>, number] {
  const labels: Record<string, string> = {};
  let pos = start + 1;
  while (text[pos] !== '}') {
    const nameMatch = /^[a-zA-Z_][a-zA-Z0-9_]*="/.exec(text.slice(pos));
    if (!nameMatch) throw new Error(`bad label at ${pos} in: ${text}`);
    const labelName = nameMatch[0].slice(0, -2);
    pos += nameMatch[0].length;
    let value = '';
    while (text[pos] !== '"') {
      if (pos >= text.length) throw new Error(`unterminated label value in: ${text}`);
      if (text[pos] === '\\') {
        const next = text[pos + 1];
        value += next === 'n' ? '\n' : next;
        pos += 2;
      } else {
        value += text[pos];
        pos += 1;
      }
    }
    pos += 1;
    if (labelName in labels) throw new Error(`duplicate label ${labelName} in: ${text}`);
    labels[labelName] = value;
    if (text[pos] === ',') pos += 1;
  }
  return [labels, pos + 1];
}
