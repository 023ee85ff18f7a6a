/**
 * Small builders for the Grafana panel JSON the dashboards use. Every builder takes a
 * `description` (shown as the panel's "i" tooltip) because a dashboard is read by someone who
 * did not write it: each panel says what its lines mean and what a bad value looks like.
 */

/** The provisioned datasource uids (infra/grafana/provisioning/datasources). */
export const DATASOURCE = {
  prometheus: { type: 'prometheus', uid: 'prometheus' },
  jaeger: { type: 'jaeger', uid: 'jaeger' },
} as const;

/** One PromQL query of a panel. */
export interface Query {
  expr: string;
  /** Legend template, e.g. `{{service}} {{route}}`. */
  legend: string;
  /**
   * Ask Prometheus for exemplars too (raw histogram queries only): each dot links to a trace.
   * @default false
   */
  exemplar?: boolean;
}

/** A panel as Grafana stores it; `gridPos` is filled in by {@link layout}. */
export type Panel = Record<string, unknown> & { type: string; title: string; description: string };

/** Options shared by the graph builders. */
export interface GraphOptions {
  title: string;
  description: string;
  queries: Query[];
  /** Grafana unit id, e.g. `reqps`, `s`, `percentunit`, `bytes`. */
  unit: string;
  /**
   * Stack the series (for parts of a whole: requests by status, jobs by state).
   * @default false
   */
  stacked?: boolean;
  /**
   * Panel width in grid columns (of 24).
   * @default 12
   */
  width?: number;
}

function targets(queries: Query[]): Record<string, unknown>[] {
  return queries.map((query, index) => ({
    refId: String.fromCharCode(65 + index),
    datasource: DATASOURCE.prometheus,
    expr: query.expr,
    legendFormat: query.legend,
    range: true,
    instant: false,
    exemplar: query.exemplar ?? false,
  }));
}

/** A time series graph. */
export function timeseries(options: GraphOptions): Panel {
  return {
    type: 'timeseries',
    title: options.title,
    description: options.description,
    datasource: DATASOURCE.prometheus,
    width: options.width ?? 12,
    targets: targets(options.queries),
    fieldConfig: {
      defaults: {
        unit: options.unit,
        min: 0,
        custom: {
          drawStyle: 'line',
          lineWidth: 1,
          fillOpacity: options.stacked === true ? 30 : 10,
          showPoints: 'never',
          stacking: { mode: options.stacked === true ? 'normal' : 'none', group: 'A' },
        },
      },
      overrides: [],
    },
    options: {
      legend: { displayMode: 'table', placement: 'bottom', calcs: ['lastNotNull', 'max'] },
      tooltip: { mode: 'multi', sort: 'desc' },
    },
  };
}

/** One colour threshold of a stat panel: from `value` upwards (`null`: the base colour). */
export interface Step {
  color: 'green' | 'orange' | 'red' | 'blue';
  value: number | null;
}

/** Thresholds for "lower is better": green, orange from `warnAt`, red from `badAt`. */
export function lowerIsBetter(warnAt: number, badAt: number): Step[] {
  return [
    { color: 'green', value: null },
    { color: 'orange', value: warnAt },
    { color: 'red', value: badAt },
  ];
}

/** A single number (or one per series), coloured by `steps`. */
export function stat(options: GraphOptions & { steps: Step[] }): Panel {
  return {
    type: 'stat',
    title: options.title,
    description: options.description,
    datasource: DATASOURCE.prometheus,
    width: options.width ?? 6,
    targets: targets(options.queries),
    fieldConfig: {
      defaults: {
        unit: options.unit,
        thresholds: {
          mode: 'absolute',
          steps: options.steps,
        },
      },
      overrides: [],
    },
    options: {
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
      colorMode: 'background',
    },
  };
}

/** A state timeline: one row per series, coloured by the value mapped to a state name. */
export function stateTimeline(
  options: Omit<GraphOptions, 'unit' | 'stacked'> & {
    states: { value: number; text: string; color: string }[];
  },
): Panel {
  return {
    type: 'state-timeline',
    title: options.title,
    description: options.description,
    datasource: DATASOURCE.prometheus,
    width: options.width ?? 24,
    targets: targets(options.queries),
    fieldConfig: {
      defaults: {
        mappings: options.states.map((state) => ({
          type: 'value',
          options: { [String(state.value)]: { text: state.text, color: state.color, index: state.value } },
        })),
        color: { mode: 'thresholds' },
        thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }] },
      },
      overrides: [],
    },
    options: { showValue: 'never', mergeValues: true, rowHeight: 0.8, legend: { showLegend: true } },
  };
}

/** A markdown note; it queries nothing, so it is the one panel kind without targets. */
export function text(options: {
  title: string;
  description: string;
  markdown: string;
  width?: number;
}): Panel {
  return {
    type: 'text',
    title: options.title,
    description: options.description,
    width: options.width ?? 24,
    options: { mode: 'markdown', content: options.markdown },
  };
}

/**
 * Places panels left to right, wrapping at 24 columns, 8 rows high (text panels 5), and
 * numbers them. Returns Grafana-ready panels (the builders' `width` becomes `gridPos`).
 */
export function layout(panels: Panel[]): Record<string, unknown>[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return panels.map((panel, index) => {
    const { width, ...rest } = panel;
    const w = typeof width === 'number' ? width : 12;
    const h = panel.type === 'text' ? 5 : 8;
    if (x + w > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const placed = { id: index + 1, gridPos: { x, y, w, h }, ...rest };
    x += w;
    rowHeight = Math.max(rowHeight, h);
    return placed;
  });
}
