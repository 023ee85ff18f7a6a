import { parseArgs } from 'node:util';
import { parseDurationMs } from './duration.ts';
import { parseMix } from './mix.ts';
import { buildProfile, profileNames, type ProfileName } from './profiles/profiles.ts';
import type { RunLoadOptions } from './run-load.ts';
import { parseStatusCheck, type StatusCheck } from './status-check.ts';
import { resolveTargets } from './targets.ts';

/** The parsed command line. */
export interface CliConfig {
  readonly help: boolean;
  readonly json: boolean;
  readonly quiet: boolean;
  /** null when metrics are off. */
  readonly metricsPort: number | null;
  readonly metricsHost: string;
  /** `--fail-on-status`: statuses that make the run exit 3; undefined without the flag. */
  readonly statusCheck: StatusCheck | undefined;
  readonly run: Omit<RunLoadOptions, 'metrics' | 'signal' | 'onProgress' | 'onRequest' | 'clock'>;
}

/** Usage text; every flag with its default. */
export const usage = `Usage: npm run load -- [options]

Open-loop load against the Shipshape services. Latency is measured from each request's
intended send time (coordinated-omission correct). Progress goes to stderr; the summary to
stdout (JSON with --json).

Profile
  --profile <name>          steady | step | spike | soak                 (default steady)
  --rate <req/s>            base arrival rate                             (default 20)
  --duration <d>            run length, max 24h; 500ms, 30s, 10m, 1h       (default 60s; soak 1h)
  --ramp-up <d>             steady/soak: linear ramp 0 → rate first        (default 0; soak 1m)
  --step-rate <req/s>       step: rate added at each step                 (default = --rate)
  --step-interval <d>       step: time between steps                      (default 30s)
  --spike-multiplier <x>    spike: spike rate = rate × x                   (default 5)
  --spike-after <d>         spike: when the spike starts                  (default duration/3)
  --spike-length <d>        spike: how long it lasts                      (default 10s)

Traffic
  --mix <k=w,...>           weights of create-user, create-order, read-order, list-payments
                                                        (default create-user=1,create-order=4,read-order=5)
  --seed <uint32>           seed of the mix and generated data            (default random, printed)

Bounds
  --max-requests <n>        stop after n requests were due                (default 10000000)
  --max-in-flight <n>       outstanding cap; due requests beyond it are dropped and counted (default 1024)
  --connections <n>         keep-alive connections per endpoint           (default = --max-in-flight)
  --timeout <d>             per-request timeout                           (default 10s)

Targets (default this machine; a flag or env var is the only way to leave it)
  --user-url <url[,url]>    env USER_SERVICE_URL                          (default http://127.0.0.1:3001)
  --order-url <url[,url]>   env ORDER_SERVICE_URL                         (default http://127.0.0.1:3002)
  --payment-url <url[,url]> env PAYMENT_SERVICE_URL                       (default http://127.0.0.1:3003)

Output
  --json                    print the final result as JSON on stdout
  --quiet                   no live progress
  --metrics-port <n|off>    serve GET /metrics (service="load") on this port (default 9464)
  --metrics-host <host>     address the metrics server binds             (default 127.0.0.1)
  -h, --help                this text

Checks (for CI)
  --fail-on-status <s,...>  exit 3 when responses have these statuses: 429, 5xx, error (transport
                            failures), comma-separated                    (default off)
  --fail-threshold <pct>    share of responses that may have them, in %   (default 0: none)

A run whose responses are 10% or more 429s ends with a RATE LIMITED note naming the limiter,
the share refused per service and the setting to raise.

Exit codes: 0 finished; 2 bad flag or refused target; 3 finished, but --fail-on-status failed;
130/143 stopped by SIGINT/SIGTERM (summary printed); 1 unexpected failure.
`;

function number(
  text: string | undefined,
  option: string,
  check: (n: number) => boolean,
  rule: string,
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || !check(value)) {
    throw new RangeError(`--${option} must be ${rule}, got "${text}"`);
  }
  return value;
}

const positive = (n: number): boolean => n > 0;
const positiveInteger = (n: number): boolean => Number.isInteger(n) && n >= 1;

/**
 * Parses the command line and the environment into run options.
 * @throws RangeError or TypeError naming the bad flag
 */
export function parseCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): CliConfig {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      profile: { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      'ramp-up': { type: 'string' },
      'step-rate': { type: 'string' },
      'step-interval': { type: 'string' },
      'spike-multiplier': { type: 'string' },
      'spike-after': { type: 'string' },
      'spike-length': { type: 'string' },
      mix: { type: 'string' },
      seed: { type: 'string' },
      'max-requests': { type: 'string' },
      'max-in-flight': { type: 'string' },
      connections: { type: 'string' },
      timeout: { type: 'string' },
      'user-url': { type: 'string' },
      'order-url': { type: 'string' },
      'payment-url': { type: 'string' },
      json: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      'metrics-port': { type: 'string' },
      'metrics-host': { type: 'string' },
      'fail-on-status': { type: 'string' },
      'fail-threshold': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const duration = (option: keyof typeof values): number | undefined => {
    const text = values[option];
    return typeof text === 'string' ? parseDurationMs(text, `--${option}`) : undefined;
  };
  const profile = values.profile as ProfileName | undefined;
  if (profile !== undefined && !profileNames.includes(profile)) {
    throw new RangeError(`--profile must be one of ${profileNames.join(', ')}, got "${profile}"`);
  }
  if (values['fail-threshold'] !== undefined && values['fail-on-status'] === undefined) {
    throw new RangeError('--fail-threshold needs --fail-on-status');
  }
  const statusCheck =
    values['fail-on-status'] === undefined
      ? undefined
      : parseStatusCheck(values['fail-on-status'], values['fail-threshold']);
  const metricsPortText = values['metrics-port'] ?? '9464';
  const metricsPort =
    metricsPortText === 'off'
      ? null
      : number(
          metricsPortText,
          'metrics-port',
          (n) => Number.isInteger(n) && n >= 0 && n <= 65535,
          'a port (0–65535) or off',
        )!;

  const profileOptions: NonNullable<RunLoadOptions['profile']> = {};
  const set = <K extends keyof typeof profileOptions>(
    key: K,
    value: (typeof profileOptions)[K] | undefined,
  ): void => {
    if (value !== undefined) profileOptions[key] = value;
  };
  set('profile', profile);
  set('rate', number(values.rate, 'rate', positive, 'a rate > 0'));
  set('durationMs', duration('duration'));
  set('rampUpMs', duration('ramp-up'));
  set(
    'stepRate',
    number(values['step-rate'], 'step-rate', (n) => n >= 0, 'a rate >= 0'),
  );
  set('stepIntervalMs', duration('step-interval'));
  set(
    'spikeMultiplier',
    number(values['spike-multiplier'], 'spike-multiplier', (n) => n >= 1, 'a number >= 1'),
  );
  set('spikeAfterMs', duration('spike-after'));
  set('spikeLengthMs', duration('spike-length'));

  // Validated here so a bad combination is a usage error (exit 2) before anything starts.
  buildProfile(profileOptions);
  const run: CliConfig['run'] = {
    targets: resolveTargets(
      {
        ...(values['user-url'] === undefined ? {} : { user: values['user-url'] }),
        ...(values['order-url'] === undefined ? {} : { order: values['order-url'] }),
        ...(values['payment-url'] === undefined ? {} : { payment: values['payment-url'] }),
      },
      env,
    ),
    profile: profileOptions,
    ...optional('mix', values.mix === undefined ? undefined : parseMix(values.mix)),
    ...optional(
      'seed',
      number(
        values.seed,
        'seed',
        (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 32,
        'an integer in [0, 2^32)',
      ),
    ),
    ...optional(
      'maxRequests',
      number(values['max-requests'], 'max-requests', positiveInteger, 'an integer >= 1'),
    ),
    ...optional(
      'maxInFlight',
      number(values['max-in-flight'], 'max-in-flight', positiveInteger, 'an integer >= 1'),
    ),
    ...optional('connections', number(values.connections, 'connections', positiveInteger, 'an integer >= 1')),
    ...optional('timeoutMs', duration('timeout')),
  };
  return {
    help: values.help,
    json: values.json,
    quiet: values.quiet,
    metricsPort,
    metricsHost: values['metrics-host'] ?? '127.0.0.1',
    statusCheck,
    run,
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
