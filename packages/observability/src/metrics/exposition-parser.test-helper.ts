// A strict parser of the Prometheus text and OpenMetrics text formats, for tests only: it
// throws on any line it does not understand, so malformed output fails the test that reads it.

export interface Exemplar {
  labels: Record<string, string>;
  value: number;
  timestamp?: number;
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  exemplar?: Exemplar;
}

export interface Exposition {
  types: Map<string, string>;
  help: Map<string, string>;
  samples: Sample[];
  sawEof: boolean;
}

export function parseExposition(text: string): Exposition {
  const out: Exposition = { types: new Map(), help: new Map(), samples: [], sawEof: false };
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (out.sawEof) throw new Error(`content after # EOF: ${line}`);
    if (line === '# EOF') {
      out.sawEof = true;
      continue;
    }
    const meta = /^# (HELP|TYPE|UNIT) ([a-zA-Z_:][a-zA-Z0-9_:]*) ?(.*)$/.exec(line);
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
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (!nameMatch) throw new Error(`bad sample line: ${line}`);
  const name = nameMatch[0];
  let pos = name.length;
  let labels: Record<string, string> = {};
  if (line[pos] === '{') [labels, pos] = parseLabels(line, pos);
  const rest = line.slice(pos);
  const [valuePart, exemplarPart] = rest.split(' # ');
  const fields = valuePart!.trim().split(' ');
  if (fields.length < 1 || fields.length > 2) throw new Error(`bad value in: ${line}`);
  const value = parseNumber(fields[0]!, line);
  const sample: Sample = { name, labels, value };
  if (exemplarPart !== undefined) {
    if (exemplarPart[0] !== '{') throw new Error(`bad exemplar in: ${line}`);
    const [exLabels, end] = parseLabels(exemplarPart, 0);
    const exFields = exemplarPart.slice(end).trim().split(' ');
    sample.exemplar = { labels: exLabels, value: parseNumber(exFields[0]!, line) };
    if (exFields[1] !== undefined) sample.exemplar.timestamp = parseNumber(exFields[1], line);
  }
  return sample;
}

function parseNumber(text: string, line: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  const n = Number(text);
  if (text === '' || (Number.isNaN(n) && text !== 'NaN')) throw new Error(`bad number ${text} in: ${line}`);
  return n;
}

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

/** The samples called `name` whose labels include every pair of `labels`. */
export function samplesOf(exp: Exposition, name: string, labels: Record<string, string> = {}): Sample[] {
  return exp.samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
}

/** The value of the one sample matching `name` and `labels`; throws if there is not exactly one. */
export function valueOf(exp: Exposition, name: string, labels: Record<string, string> = {}): number {
  const found = samplesOf(exp, name, labels);
  if (found.length !== 1) {
    throw new Error(`expected 1 sample of ${name} ${JSON.stringify(labels)}, found ${found.length}`);
  }
  return found[0]!.value;
}
