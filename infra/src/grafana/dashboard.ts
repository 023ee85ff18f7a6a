import { DATASOURCE, layout } from './panels.ts';
import type { Panel } from './panels.ts';

/** Options of {@link dashboard}. */
export interface DashboardOptions {
  uid: string;
  title: string;
  description: string;
  panels: Panel[];
  /**
   * Template variables: name → PromQL `label_values(...)` query. Each is multi-select with "All".
   * @default {}
   */
  variables?: Record<string, string>;
}

/** The Grafana schema version these dashboards are written for (Grafana 11–12 load it as is). */
export const SCHEMA_VERSION = 39;

/** Wraps laid-out panels in a provisioned dashboard: 5 s refresh, last 15 minutes, links to the others. */
export function dashboard(options: DashboardOptions): Record<string, unknown> {
  return {
    uid: options.uid,
    title: options.title,
    description: options.description,
    tags: ['shipshape'],
    timezone: 'browser',
    editable: false,
    graphTooltip: 1,
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    refresh: '5s',
    time: { from: 'now-15m', to: 'now' },
    timepicker: { refresh_intervals: ['5s', '10s', '30s', '1m', '5m'] },
    links: [
      { type: 'dashboards', tags: ['shipshape'], asDropdown: false, title: 'Shipshape', includeVars: true },
    ],
    templating: {
      list: Object.entries(options.variables ?? {}).map(([name, query]) => ({
        name,
        label: name,
        type: 'query',
        datasource: DATASOURCE.prometheus,
        query,
        definition: query,
        refresh: 2,
        multi: true,
        includeAll: true,
        allValue: '.*',
        current: { selected: true, text: ['All'], value: ['$__all'] },
        sort: 1,
      })),
    },
    annotations: { list: [] },
    panels: layout(options.panels),
  };
}

/** The markdown every dashboard shows at the top: how to make traffic so the panels move. */
export const TRAFFIC_HELP = [
  'No lines? The system is idle. Generate traffic:',
  '',
  '- `docker compose --profile load up` — the load generator (`LOAD_ARGS="--rate 100 --duration 5m"` to change it)',
  '- `npm run load -- --rate 50 --duration 2m` — the same against services run with `npm start`',
  '- `npm run scenario -- <name>` — a fault scenario; `npm run chaos -- payment chaos.errorRate=0.5` breaks payments at runtime',
  '',
  "Latency panels show exemplars (dots): click one to open that request's trace in Jaeger.",
].join('\n');
