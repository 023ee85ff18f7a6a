import { parseTargets } from '@shipshape/scenarios';
import { parseArgs } from 'node:util';
import type { ServiceId } from '../shared/console-state.ts';
import { defaultConsolePort } from './console-server.ts';

/** What `npm run console` runs, from its flags and environment. */
export interface ConsoleSettings {
  readonly urls: Record<ServiceId, string[]>;
  readonly redisUrl: string;
  readonly adminToken: string | undefined;
  readonly host: string;
  readonly port: number;
  /** More `Host` names to answer to (`--allow-host`, `CONSOLE_ALLOWED_HOSTS`). */
  readonly allowedHosts: string[];
  readonly grafanaUrl: string | undefined;
  readonly jaegerUrl: string | undefined;
  /** Exit when stdin closes (how `npm start` ties the console's life to its own). */
  readonly exitWithStdin: boolean;
}

/** `--help` text of `npm run console`. */
export const consoleUsage = `Usage: npm run console -- [options]

The experiment console for a running Shipshape system: a live topology from the services' own
/metrics, chaos and load controls, dead-letter replay and fault scenarios with their verdicts.
\`npm start\` starts it on its own; this runs it against any system (compose, a cluster behind
port-forwards).

Options
  --target <url>          the system; repeat per service (user=http://h:3001 order=http://h:3002,http://h:3012)
                          or one base URL for all three on the contract ports   (default http://127.0.0.1)
  --redis-url <url>       the system's Redis: chaos settings, dead-letter replay
                                                  (default env REDIS_URL, else redis://127.0.0.1:6379)
  --admin-token <token>   the system's admin token (default env ADMIN__TOKEN); without it the
                          console is read-only
  --host <address>        address to listen on    (default env CONSOLE_HOST, else 127.0.0.1)
  --port <n>              port                    (default env CONSOLE_PORT, else ${defaultConsolePort})
  --allow-host <name>     another name the browser reaches it by, when --host is not loopback
                          (repeat; default env CONSOLE_ALLOWED_HOSTS, comma-separated)
  --grafana-url <url>     Grafana, for the experiments' dashboard links (default env GRAFANA_URL)
  --jaeger-url <url>      Jaeger UI, for the experiments' trace links  (default env JAEGER_URL)
  -h, --help              this text

Exit codes: 0 stopped by Ctrl-C/SIGTERM; 1 the port is in use; 2 bad option.`;

/** A flag `npm run console` cannot use. */
export class ConsoleUsageError extends Error {
  override readonly name = 'ConsoleUsageError';
}

/**
 * Reads `npm run console`'s flags and environment.
 * @returns undefined when `--help` was asked for
 * @throws ConsoleUsageError naming the bad flag
 */
export function parseConsoleArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): ConsoleSettings | undefined {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        target: { type: 'string', multiple: true },
        'redis-url': { type: 'string' },
        'admin-token': { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        'allow-host': { type: 'string', multiple: true },
        'grafana-url': { type: 'string' },
        'jaeger-url': { type: 'string' },
        'exit-with-stdin': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    throw new ConsoleUsageError((error as Error).message);
  }
  if (values.help) return undefined;
  let urls: Record<ServiceId, string[]>;
  try {
    urls = parseTargets(values.target ?? ['http://127.0.0.1']);
  } catch (error) {
    throw new ConsoleUsageError((error as Error).message);
  }
  const portText = values.port ?? env['CONSOLE_PORT'] ?? String(defaultConsolePort);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535)
    throw new ConsoleUsageError(`--port must be 0..65535, got "${portText}"`);
  const optional = (flag: string | undefined, variable: string): string | undefined =>
    flag ?? (env[variable]?.trim() || undefined);
  return {
    urls,
    redisUrl: values['redis-url'] ?? (env['REDIS_URL']?.trim() || 'redis://127.0.0.1:6379'),
    adminToken: optional(values['admin-token'], 'ADMIN__TOKEN'),
    host: values.host ?? (env['CONSOLE_HOST']?.trim() || '127.0.0.1'),
    port,
    allowedHosts:
      values['allow-host'] ??
      (env['CONSOLE_ALLOWED_HOSTS'] ?? '')
        .split(',')
        .map((h) => h.trim())
        .filter(Boolean),
    grafanaUrl: optional(values['grafana-url'], 'GRAFANA_URL'),
    jaegerUrl: optional(values['jaeger-url'], 'JAEGER_URL'),
    exitWithStdin: values['exit-with-stdin'],
  };
}
