/**
 * Renders the local flavour of the Prometheus configuration: the compose file's scrape jobs,
 * intervals and rule files, with each DNS-discovered service job turned into static targets on
 * this machine. One source of truth: the local file can never scrape, evaluate or alert
 * differently from the compose one, only find its targets differently.
 */

/** The services whose scrape jobs are discovered by DNS in compose. */
export const SERVICE_JOBS = ['user', 'order', 'payment'] as const;

/** A service job name. */
export type ServiceJob = (typeof SERVICE_JOBS)[number];

/** The parts of a Prometheus configuration this module reads and writes; the rest passes through. */
export interface PrometheusConfig {
  rule_files?: string[];
  scrape_configs?: ScrapeConfig[];
  [key: string]: unknown;
}

/** One scrape job; only the discovery keys are rewritten. */
export interface ScrapeConfig {
  job_name: string;
  dns_sd_configs?: unknown[];
  static_configs?: { targets: string[]; labels?: Record<string, string> }[];
  [key: string]: unknown;
}

/** Options of {@link renderLocalPrometheusConfig}. */
export interface LocalPrometheusOptions {
  /**
   * `host:port` targets per service job.
   * @default one replica per service on 127.0.0.1 at the contract's ports (3001, 3002, 3003)
   */
  targets?: Partial<Record<ServiceJob, string[]>>;
  /**
   * Rule file globs, replacing the compose file's (which are relative to its own folder).
   * @default the compose file's `rule_files`, unchanged
   */
  ruleFiles?: string[];
  /**
   * `host:port` targets of the `load` job (the load generator's own /metrics).
   * @default ['127.0.0.1:9464'], where `npm run load` serves them
   */
  loadTargets?: string[];
}

const defaults = {
  targets: {
    user: ['127.0.0.1:3001'],
    order: ['127.0.0.1:3002'],
    payment: ['127.0.0.1:3003'],
  } satisfies Record<ServiceJob, string[]>,
};

const TARGET = /^[^\s:/]+:\d{1,5}$/;

/** Where `npm run load` serves its own /metrics by default. */
const LOCAL_LOAD_TARGET = '127.0.0.1:9464';

/**
 * Returns a copy of `composeConfig` in which every service job scrapes static targets instead
 * of DNS names. Throws a RangeError naming the job when a target is not `host:port` or a
 * service job is missing from the compose configuration.
 */
export function renderLocalPrometheusConfig(
  composeConfig: PrometheusConfig,
  options: LocalPrometheusOptions = {},
): PrometheusConfig {
  const targets = { ...defaults.targets, ...options.targets };
  const loadTargets = options.loadTargets ?? [LOCAL_LOAD_TARGET];
  const badLoad = loadTargets.find((target) => !TARGET.test(target));
  if (badLoad !== undefined)
    throw new RangeError(`loadTargets must be host:port, got ${JSON.stringify(badLoad)}`);
  for (const job of SERVICE_JOBS) {
    const bad = targets[job].find((target) => !TARGET.test(target));
    if (bad !== undefined)
      throw new RangeError(`targets.${job} must be host:port, got ${JSON.stringify(bad)}`);
    if (targets[job].length === 0)
      throw new RangeError(`targets.${job} must list at least one target, got []`);
  }
  const jobs = composeConfig.scrape_configs ?? [];
  for (const job of SERVICE_JOBS) {
    if (!jobs.some((scrape) => scrape.job_name === job)) {
      throw new RangeError(`the compose configuration has no scrape job ${JSON.stringify(job)}`);
    }
  }
  const scrapeConfigs = jobs.map((scrape): ScrapeConfig => {
    if (scrape.job_name === 'load') {
      // The load generator (tools/load) serves /metrics on 127.0.0.1:9464 when run locally.
      const { dns_sd_configs: _dns, ...rest } = scrape;
      return { ...rest, static_configs: [{ targets: [...loadTargets] }] };
    }
    if (!isServiceJob(scrape.job_name)) return scrape;
    const { dns_sd_configs: _dns, ...rest } = scrape;
    return { ...rest, static_configs: [{ targets: [...targets[scrape.job_name]] }] };
  });
  return {
    ...composeConfig,
    rule_files: [...(options.ruleFiles ?? composeConfig.rule_files ?? [])],
    scrape_configs: scrapeConfigs,
  };
}

function isServiceJob(name: string): name is ServiceJob {
  return (SERVICE_JOBS as readonly string[]).includes(name);
}
