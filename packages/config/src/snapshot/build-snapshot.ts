import type * as z from 'zod';
import { coerce } from '../coerce/coerce.ts';
import type { ConfigProblem } from '../errors/config-validation-error.ts';
import { REDACTED } from '../schema/secret.ts';
import { envNameOf, type SchemaIndex } from '../schema/schema-index.ts';
import type { SourceReadResult, SourceValue } from '../source.ts';
import { isPlainObject } from '../sources/flatten.ts';
import { setValueAt, valueAt } from './deep-freeze.ts';

/** What {@link buildSnapshot} needs: the schema and every source's read, lowest first. */
export interface BuildInput {
  readonly schema: z.ZodType;
  readonly index: SchemaIndex;
  readonly reads: readonly SourceReadResult[];
  /** Report keys no schema field matches (`error`), or drop them (`ignore`). */
  readonly unknownKeys: 'error' | 'ignore';
  /** Used only to hint at the env var name of a missing key. */
  readonly envPrefix: string;
}

/** A validated, not yet frozen configuration, with the origin of every key a source set. */
export type BuildResult =
  | {
      readonly ok: true;
      readonly value: Record<string, unknown>;
      readonly origins: ReadonlyMap<string, string>;
    }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

const shown = (value: unknown): string => {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

/**
 * Merges the reads (later wins, empty strings count as unset), coerces strings by each key's
 * schema, validates once with zod and collects every problem. Pure: no I/O.
 */
export function buildSnapshot(input: BuildInput): BuildResult {
  const { index } = input;
  const problems: ConfigProblem[] = [];
  const winners = new Map<string, SourceValue>();
  for (const read of input.reads) {
    for (const p of read.problems ?? []) problems.push({ key: p.path, source: p.origin, reason: p.reason });
    for (const entry of read.values) {
      if (typeof entry.value === 'string' && entry.value.trim() === '') continue;
      if (index.leaves.has(entry.path)) winners.set(entry.path, entry);
      else if (index.branches.has(entry.path)) {
        problems.push({
          key: entry.path,
          source: entry.origin,
          reason: 'is a group of settings: set its keys',
        });
      } else if (input.unknownKeys === 'error') {
        problems.push({ key: entry.path, source: entry.origin, reason: 'unknown key (not in the schema)' });
      }
    }
  }

  const candidate: Record<string, unknown> = {};
  const secretTexts = new Set<string>();
  const failed = new Set<string>();
  for (const [path, entry] of winners) {
    const leaf = index.leaves.get(path)!;
    if (leaf.secret && typeof entry.value === 'string') secretTexts.add(entry.value);
    const result = coerce(entry.value, leaf.kind, leaf.elementKind);
    if (result.ok) setValueAt(candidate, path, result.value);
    else {
      failed.add(path);
      const got = leaf.secret ? REDACTED : shown(entry.value);
      problems.push({ key: path, source: entry.origin, reason: `${result.reason}, got ${got}` });
    }
  }

  // A group no source mentions still needs `{}`, or zod reports the group missing instead of
  // applying its fields' defaults (and naming the fields that have none).
  for (const branch of index.requiredBranches) {
    const parent = branch.includes('.') ? branch.slice(0, branch.lastIndexOf('.')) : '';
    const parentValue = valueAt(candidate, parent);
    if (isPlainObject(parentValue) && valueAt(candidate, branch) === undefined)
      setValueAt(candidate, branch, {});
  }

  const parsed = input.schema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.map(String).join('.');
      const leafPath = longestLeafPrefix(index, issue.path.map(String));
      if (leafPath !== undefined && failed.has(leafPath)) continue;
      const entry = leafPath === undefined ? undefined : winners.get(leafPath);
      const missing = valueAt(candidate, key) === undefined && issue.code === 'invalid_type';
      const reason = missing
        ? `required, but no source sets it (e.g. env ${envNameOf(key, input.envPrefix)})`
        : issue.message;
      problems.push({ key, source: entry?.origin ?? (missing ? 'unset' : 'default'), reason });
    }
  }
  if (problems.length > 0) return { ok: false, problems: problems.map((p) => scrub(p, secretTexts)) };

  const origins = new Map<string, string>();
  for (const [path, entry] of winners) origins.set(path, entry.origin);
  return { ok: true, value: parsed.data as Record<string, unknown>, origins };
}

function longestLeafPrefix(index: SchemaIndex, segments: readonly string[]): string | undefined {
  for (let n = segments.length; n > 0; n--) {
    const path = segments.slice(0, n).join('.');
    if (index.leaves.has(path)) return path;
  }
  return undefined;
}

/**
 * A refine message may quote its input; no secret text may survive into an error. Very short
 * secrets are left alone: replacing `"1"` everywhere would garble every message.
 */
function scrub(problem: ConfigProblem, secrets: ReadonlySet<string>): ConfigProblem {
  let reason = problem.reason;
  for (const text of secrets) if (text.length >= 4) reason = reason.split(text).join(REDACTED);
  return reason === problem.reason ? problem : { ...problem, reason };
}
