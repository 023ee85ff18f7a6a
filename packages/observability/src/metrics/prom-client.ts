import { createRequire } from 'node:module';
import type * as Prom from 'prom-client';

// The five prom-client files this package uses, required one by one: prom-client's index also
// loads its Pushgateway (`https`, so `tls`, and `zlib`) and its cluster aggregator, ≈10 ms of
// every service's start-up here. The files are the ones the index itself exports, so the
// registry classes are the same objects whichever way they are loaded.
const require = createRequire(import.meta.url);

/** prom-client's `Registry`. */
export const Registry = require('prom-client/lib/registry.js') as typeof Prom.Registry;
/** prom-client's `Registry`. */
export type Registry<T extends Prom.RegistryContentType = Prom.PrometheusContentType> = Prom.Registry<T>;
/** prom-client's `Counter`. */
export const Counter = require('prom-client/lib/counter.js') as typeof Prom.Counter;
/** prom-client's `Counter`. */
export type Counter<T extends string = string> = Prom.Counter<T>;
/** prom-client's `Gauge`. */
export const Gauge = require('prom-client/lib/gauge.js') as typeof Prom.Gauge;
/** prom-client's `Gauge`. */
export type Gauge<T extends string = string> = Prom.Gauge<T>;
/** prom-client's `Histogram`. */
export const Histogram = require('prom-client/lib/histogram.js') as typeof Prom.Histogram;
/** prom-client's `Histogram`. */
export type Histogram<T extends string = string> = Prom.Histogram<T>;
/** prom-client's `collectDefaultMetrics`. */
export const collectDefaultMetrics =
  require('prom-client/lib/defaultMetrics.js') as typeof Prom.collectDefaultMetrics;
