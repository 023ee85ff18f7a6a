import * as sdk from '@grafana/grafana-foundation-sdk/dashboard';
import { DATASOURCE, layout } from './panels.ts';
import type { PanelBuilder } from './panels.ts';

/** Options of {@link dashboard}. */
export interface DashboardOptions {
  uid: string;
  title: string;
  description: string;
  panels: PanelBuilder[];
  /**
   * Template variables: name → PromQL `label_values(...)` query. Each is multi-select with "All".
   * @default {}
   */
  variables?: Record<string, string>;
}

/**
 * The Grafana schema version these dashboards are written for (Grafana 11–12 load it as is and
 * migrate it on load). The SDK stamps its own newer default (42); the JSON written here uses
 * nothing newer than 39, so 39 keeps every Grafana 11 and 12 release able to read it.
 */
export const SCHEMA_VERSION = 39;

/** A template variable: the values of a label, multi-select with "All" (`.*`). */
function labelValues(name: string, query: string): sdk.QueryVariableBuilder {
  return new sdk.QueryVariableBuilder(name)
    .label(name)
    .datasource(DATASOURCE.prometheus)
    .query(query)
    .definition(query)
    .refresh(sdk.VariableRefresh.OnTimeRangeChanged)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ selected: true, text: ['All'], value: ['$__all'] })
    .sort(sdk.VariableSort.AlphabeticalAsc);
}

/** The link bar to the other Shipshape dashboards (every dashboard tagged `shipshape`). */
function shipshapeLinks(): sdk.DashboardLink {
  const link = new sdk.DashboardLinkBuilder('Shipshape')
    .type(sdk.DashboardLinkType.Dashboards)
    .tags(['shipshape'])
    .asDropdown(false)
    .includeVars(true)
    .build();
  // The SDK (0.0.21) defaults every link to `placement: inControlsMenu`, which newer Grafana
  // releases render inside the dashboard-controls menu instead of above the panels; without a
  // placement the link stays where it always was.
  delete link.placement;
  return link;
}

/**
 * Wraps laid-out panels in a provisioned dashboard: 5 s refresh, last 15 minutes, links to the
 * others. Returns the dashboard as Grafana stores it (plain JSON data: the SDK's query objects
 * carry a marker method, which is dropped here as JSON.stringify would drop it).
 */
export function dashboard(options: DashboardOptions): sdk.Dashboard {
  // The classic (v1) builder, deprecated by the SDK in favour of dashboardv2: v2 is what Grafana 12
  // provisions only behind feature toggles; the classic JSON model is what it loads from files.
  const built = new sdk.DashboardBuilder(options.title)
    .uid(options.uid)
    .description(options.description)
    .tags(['shipshape'])
    .timezone('browser')
    .readonly()
    .tooltip(sdk.DashboardCursorSync.Crosshair)
    .version(1)
    .refresh('5s')
    .time({ from: 'now-15m', to: 'now' })
    .timepicker(new sdk.TimePickerBuilder().refreshIntervals(['5s', '10s', '30s', '1m', '5m']))
    .link({ build: shipshapeLinks })
    .variables(Object.entries(options.variables ?? {}).map(([name, query]) => labelValues(name, query)))
    .annotations([])
    .build();
  built.schemaVersion = SCHEMA_VERSION;
  built.panels = layout(options.panels);
  return JSON.parse(JSON.stringify(built)) as sdk.Dashboard;
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
