import { parseArgs } from 'node:util';
import { defaultPorts, isServiceName, serviceNames, type ServiceName } from '@shipshape/stack';

/** The parsed command line of `npm run scenario`. */
export interface ScenarioCli {
  readonly help: boolean;
  /** `list`, or a scenario name. */
  readonly scenario: string | undefined;
  readonly short: boolean;
  readonly fault: boolean;
  /** False with `--no-defence`: the scenario's defence (hedging, the adaptive limit) off. */
  readonly defence: boolean;
  readonly json: boolean;
  readonly quiet: boolean;
  readonly logs: boolean;
  readonly seed: number | undefined;
  /** Base URLs per service of a running system, when `--target` was given. */
  readonly target: Readonly<Record<ServiceName, string[]>> | undefined;
  /** The target's Redis (`--redis-url`, else `REDIS_URL`); only used with `--target`. */
  readonly redisUrl: string | undefined;
  /** The target's admin token for `/config` (`--admin-token`, else `ADMIN__TOKEN`). */
  readonly adminToken: string | undefined;
}

/** Usage text. */
export function usage(names: readonly string[]): string {
  return `Usage: npm run scenario -- <name> [options]
       npm run scenario -- list

Self-verifying fault scenarios: start Redis and the three services on this machine (or use a
running system), run open-loop load, inject the fault, and print one PASS/FAIL line per
hypothesis. Exit 0 when every hypothesis held, 1 when one failed, 2 on bad usage or a scenario
that cannot run against the target, 3 when the scenario could not run.

Scenarios: ${names.join(', ')}

Options
  --short                 the CI form (≤ 90 s): shorter load and fault, same hypotheses
  --no-fault              control run: same load and timeline, fault steps skipped
                          (the fault's hypotheses must then fail)
  --no-defence            the same fault without the defence the scenario exercises
                          (slow-replica: hedging; overload: the adaptive limit);
                          the defence's hypotheses must then fail
  --target <url>          a running system instead of starting one; repeat per service:
                          --target user=http://127.0.0.1:3001 --target order=http://h:3002,http://h:3012
                          or one base URL for all three on the contract ports (http://127.0.0.1)
  --redis-url <url>       the target's Redis, for runtime chaos settings and the dead-letter
                          tool (default: env REDIS_URL; none: scenarios needing it refuse)
  --admin-token <token>   bearer token of the target's /config (default: env ADMIN__TOKEN,
                          the services' own variable)
  --seed <uint32>         seed of the load's mix and data (default random, printed)
  --json                  print the verdict (with observations) as JSON on stdout
  --quiet                 no progress lines on stderr
  --logs                  print the services' log lines (prefixed) on stdout
  -h, --help              this text
`;
}

/**
 * Parses `argv` (without node and the script).
 * @throws RangeError naming the bad flag or value
 */
export function parseCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ScenarioCli {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      short: { type: 'boolean', default: false },
      'no-fault': { type: 'boolean', default: false },
      'no-defence': { type: 'boolean', default: false },
      target: { type: 'string', multiple: true },
      'redis-url': { type: 'string' },
      'admin-token': { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      logs: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (positionals.length > 1) throw new RangeError(`one scenario at a time, got ${positionals.join(' ')}`);
  let seed: number | undefined;
  if (values.seed !== undefined) {
    seed = Number(values.seed);
    if (!/^\d+$/.test(values.seed) || seed > 0xffff_ffff) {
      throw new RangeError(`--seed must be an integer 0..4294967295, got "${values.seed}"`);
    }
  }
  const target = values.target === undefined ? undefined : parseTargets(values.target);
  return {
    help: values.help,
    scenario: positionals[0],
    short: values.short,
    fault: !values['no-fault'],
    defence: !values['no-defence'],
    json: values.json,
    quiet: values.quiet,
    logs: values.logs,
    seed,
    target,
    redisUrl: values['redis-url'] ?? (env['REDIS_URL'] || undefined),
    adminToken: values['admin-token'] ?? (env['ADMIN__TOKEN'] || undefined),
  };
}

/** `service=url[,url]` pairs and at most one base URL → base URLs per service. */
export function parseTargets(specs: readonly string[]): Record<ServiceName, string[]> {
  const named: Partial<Record<ServiceName, string[]>> = {};
  let base: URL | undefined;
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq > 0) {
      const service = spec.slice(0, eq);
      if (!isServiceName(service)) {
        throw new RangeError(`--target: unknown service "${service}" (use ${serviceNames.join(', ')})`);
      }
      named[service] = spec
        .slice(eq + 1)
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean)
        .map((u) => origin(u));
      if (named[service].length === 0) throw new RangeError(`--target ${service}= needs at least one URL`);
    } else {
      if (base) throw new RangeError('--target: at most one base URL');
      base = new URL(origin(spec));
      if (base.port !== '')
        throw new RangeError(`--target base URL takes no port (each service has its own), got "${spec}"`);
    }
  }
  const result = {} as Record<ServiceName, string[]>;
  for (const service of serviceNames) {
    const urls =
      named[service] ?? (base ? [`${base.protocol}//${base.hostname}:${defaultPorts[service]}`] : undefined);
    if (!urls) {
      throw new RangeError(
        `--target does not name ${service}: give ${service}=<url> or one base URL for all three`,
      );
    }
    result[service] = urls;
  }
  return result;
}

function origin(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RangeError(`--target: not a URL: "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RangeError(`--target: http(s) URLs only, got "${text}"`);
  }
  return url.origin;
}
