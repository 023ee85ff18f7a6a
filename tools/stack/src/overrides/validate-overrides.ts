import {
  type ConfigSource,
  isConfigValidationError,
  loadConfig,
  type SourceReadContext,
  type SourceReadResult,
} from '@shipshape/config';
import type { ServiceName } from '../services.ts';
import { InvalidOverridesError, type OverrideProblem } from './invalid-overrides-error.ts';
import { serviceSchema } from './service-schema.ts';

/** A value a runtime setting may be given as. */
export type OverrideValue = string | number | boolean;

/** One accepted setting. */
export interface ValidatedOverride {
  /** The key as the caller wrote it (`errorRate`). */
  readonly key: string;
  /** The schema key it names (`chaos.errorRate`): the Redis hash field. */
  readonly path: string;
  /** The text stored in Redis. */
  readonly text: string;
  /** The value after the schema's coercion (what `GET /config` will show). */
  readonly value: unknown;
}

/** Options of {@link validateOverrides}. */
export interface ValidateOverridesOptions {
  /** The overrides already in Redis (hash field → text); checked together with the new ones. */
  existing?: Readonly<Record<string, string>>;
  /** Keys whose overrides are to be removed (loosely written, like the keys of `values`). */
  remove?: readonly string[];
}

/** What {@link validateOverrides} accepted. */
export interface ValidatedOverrides {
  /** The settings to write, in the order given. */
  readonly set: ValidatedOverride[];
  /** The schema keys whose overrides are to be removed. */
  readonly removed: string[];
}

/**
 * Resolves and checks runtime settings of `service` with its own configuration schema, on top
 * of the overrides already in Redis, exactly as a replica would load them after the change. Keys
 * match schema keys loosely (`error-rate`, `ERROR_RATE`); a key without a `.` that is not a
 * top-level key means `chaos.<key>` (`errorRate` → `chaos.errorRate`).
 * @throws InvalidOverridesError listing every unknown key, rejected value and static key
 */
export async function validateOverrides(
  service: ServiceName,
  values: Readonly<Record<string, OverrideValue>>,
  options: ValidateOverridesOptions = {},
): Promise<ValidatedOverrides> {
  const { schema, staticKeys } = await serviceSchema(service);
  const resolved = new Map<string, string>(); // caller's key → schema path
  const removed = new Map<string, string>();
  const problems: OverrideProblem[] = [];
  const unknown = (key: string): void =>
    void problems.push({ key, reason: `unknown key (not a setting of the ${service} service)` });
  const source: ConfigSource = {
    name: 'overrides',
    read(context: SourceReadContext): SourceReadResult {
      const current = new Map(Object.entries(options.existing ?? {}));
      for (const key of options.remove ?? []) {
        const path = resolvePath(context, key);
        if (path === undefined) unknown(key);
        else {
          removed.set(key, path);
          current.delete(path);
        }
      }
      for (const [key, value] of Object.entries(values)) {
        const path = resolvePath(context, key);
        if (path === undefined) {
          unknown(key);
          continue;
        }
        resolved.set(key, path);
        current.set(path, String(value));
      }
      const entries = [...current].map(([path, value]) => ({ path, value, origin: `override:${path}` }));
      return { values: entries };
    },
  };

  let snapshot: unknown;
  try {
    const config = await loadConfig({ schema, sources: [source], watch: false });
    snapshot = config.get();
    await config.close();
  } catch (error) {
    if (!isConfigValidationError(error)) throw error;
    const byPath = new Map([...resolved].map(([key, path]) => [path, key]));
    for (const problem of error.problems)
      problems.push({ key: byPath.get(problem.key) ?? problem.key, reason: problem.reason });
  }
  for (const [key, path] of resolved)
    if (staticKeys.some((s) => path === s || path.startsWith(`${s}.`)))
      problems.push({ key, reason: `${path} only applies at startup; set it in the environment instead` });
  if (problems.length > 0) throw new InvalidOverridesError(service, problems);
  return {
    set: [...resolved].map(([key, path]) => ({
      key,
      path,
      text: String(values[key]),
      value: valueAt(snapshot, path),
    })),
    removed: [...removed.values()],
  };
}

function resolvePath(context: SourceReadContext, key: string): string | undefined {
  const segments = key.trim().split('.');
  const leaves = context.schema.leaves;
  const direct = context.schema.resolve(segments);
  if (direct !== undefined && leaves.has(direct)) return direct;
  if (segments.length !== 1) return undefined;
  const chaos = context.schema.resolve(['chaos', ...segments]);
  return chaos !== undefined && leaves.has(chaos) ? chaos : undefined;
}

function valueAt(snapshot: unknown, path: string): unknown {
  let value = snapshot;
  for (const segment of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[segment];
  return value;
}
