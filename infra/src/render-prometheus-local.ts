/**
 * Writes the local Prometheus configuration (static targets on this machine, same jobs, rules
 * and intervals as compose):
 *
 *   node infra/src/render-prometheus-local.ts [--user 127.0.0.1:3001,...] [--order …]
 *        [--payment …] [--load 127.0.0.1:9464] [--out infra/prometheus/prometheus.local.yml]
 *
 * Rule files are written relative to the output file when it sits beside the rules folder
 * (the committed prometheus.local.yml), absolute otherwise, so a config written to a temporary
 * folder by a test still finds the repository's rules.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse, stringify } from 'yaml';
import { SERVICE_JOBS, renderLocalPrometheusConfig } from './prometheus-local-config.ts';
import type { PrometheusConfig, ServiceJob } from './prometheus-local-config.ts';

const prometheusDir = resolve(import.meta.dirname, '..', 'prometheus');
const HEADER = [
  '# Generated from prometheus.yml by `node infra/src/render-prometheus-local.ts`; do not edit.',
  '# The compose scrape jobs, intervals and rules, with static targets for services run on this',
  '# machine (`npm start`): prometheus --config.file=infra/prometheus/prometheus.local.yml',
  '#   --enable-feature=exemplar-storage',
  '',
].join('\n');

const { values } = parseArgs({
  options: {
    user: { type: 'string' },
    order: { type: 'string' },
    payment: { type: 'string' },
    load: { type: 'string' },
    out: { type: 'string', default: join(prometheusDir, 'prometheus.local.yml') },
  },
});

const targets: Partial<Record<ServiceJob, string[]>> = {};
for (const job of SERVICE_JOBS) {
  const list = values[job];
  if (list !== undefined) targets[job] = list.split(',').map((target) => target.trim());
}

const out = resolve(values.out);
const rulesDir = join(prometheusDir, 'rules');
const fromOut = relative(dirname(out), rulesDir);
const rulesGlob =
  fromOut.startsWith('..') || isAbsolute(fromOut) ? join(rulesDir, '*.yml') : `${fromOut}/*.yml`;

const composeConfig = parse(readFileSync(join(prometheusDir, 'prometheus.yml'), 'utf8')) as PrometheusConfig;
const local = renderLocalPrometheusConfig(composeConfig, {
  targets,
  ruleFiles: [rulesGlob],
  ...(values.load === undefined
    ? {}
    : { loadTargets: values.load.split(',').map((target) => target.trim()) }),
});
writeFileSync(out, HEADER + stringify(local));
console.log(`wrote ${out}`);
