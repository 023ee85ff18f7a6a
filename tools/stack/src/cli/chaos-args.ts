import { isServiceName, serviceNames, type ServiceName } from '../services.ts';

/** What one `npm run chaos` call asks for. */
export type ChaosCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'show'; readonly service: ServiceName }
  | { readonly kind: 'reset'; readonly service: ServiceName }
  | {
      readonly kind: 'set';
      readonly service: ServiceName;
      /** `key=value` pairs with a value. */
      readonly set: Readonly<Record<string, string>>;
      /** Keys given as `key=` (no value): their overrides are removed. */
      readonly clear: readonly string[];
    };

/** `--help` text of `npm run chaos`. */
export const chaosUsage = `Usage: npm run chaos -- <service> [key=value ...]

Changes the runtime settings of every replica of a running service through Redis overrides
(REDIS_URL, default redis://127.0.0.1:6379). Values are checked with the service's own schema
first; nothing is written when one is refused.

  npm run chaos -- payment errorRate=0.5          half of the charges fail (503)
  npm run chaos -- payment latencyMs=2000 declineRate=0.1
  npm run chaos -- user rateLimit.limit=10        any runtime setting, by its schema key
  npm run chaos -- payment errorRate=             remove one override (back to env/defaults)
  npm run chaos -- payment reset                  remove every override (also: --clear)
  npm run chaos -- payment                        show the overrides in force

Services: ${serviceNames.join(', ')}. A bare key means chaos.<key>: errorRate (0..1),
latencyMs (ms or 250ms/2s), and for payment declineRate (0..1).

Exit codes: 0 done; 2 bad usage or a refused setting (nothing changed); 1 Redis unreachable.`;

/** Bad usage of `npm run chaos`. */
export class ChaosUsageError extends Error {
  override readonly name = 'ChaosUsageError';
}

/**
 * Reads `npm run chaos` arguments.
 * @throws ChaosUsageError naming what is wrong
 */
export function parseChaosArgs(argv: readonly string[]): ChaosCommand {
  if (argv.length === 0 || argv.some((a) => a === '-h' || a === '--help')) return { kind: 'help' };
  const [name = '', ...rest] = argv;
  if (!isServiceName(name))
    throw new ChaosUsageError(`unknown service "${name}" (one of ${serviceNames.join(', ')})`);
  if (rest.length === 0) return { kind: 'show', service: name };
  if (rest.length === 1 && (rest[0] === 'reset' || rest[0] === '--clear'))
    return { kind: 'reset', service: name };
  const set: Record<string, string> = {};
  const clear: string[] = [];
  for (const arg of rest) {
    const at = arg.indexOf('=');
    if (at <= 0)
      throw new ChaosUsageError(
        arg === 'reset' || arg === '--clear'
          ? `${arg} takes no other arguments`
          : `expected key=value, got "${arg}"`,
      );
    const key = arg.slice(0, at).trim();
    const value = arg.slice(at + 1).trim();
    if (key in set || clear.includes(key)) throw new ChaosUsageError(`${key} is given twice`);
    if (value === '') clear.push(key);
    else set[key] = value;
  }
  return { kind: 'set', service: name, set, clear };
}
