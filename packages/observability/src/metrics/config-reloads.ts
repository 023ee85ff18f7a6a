import { CONTRACT_METRICS } from './contract-metrics.ts';
import type { Disposable, MetricsRegistry } from './metrics-registry.ts';

/** A configuration reload as `@shipshape/config` reports it. */
export interface ConfigReloadEvent {
  /** The layer that changed (`file`, `env`, `redis`, …): a bounded token. */
  source: string;
  /** `applied`, `rejected`, `unchanged`, …: a bounded token. */
  outcome: string;
}

/** What the bridge needs of a configuration store (structural: config is never imported). */
export interface ConfigLike {
  onReload(listener: (event: ConfigReloadEvent) => void): Disposable;
}

/** Counts configuration reloads in `config_reloads_total{source,outcome}`. */
export function bridgeConfigReloads(config: ConfigLike, metrics: MetricsRegistry): Disposable {
  const reloads = metrics.counter(CONTRACT_METRICS.configReloads);
  return config.onReload((e) => reloads.inc({ source: e.source, outcome: e.outcome }));
}
