/**
 * The panel kinds the dashboards use, built with Grafana's own typed builders
 * (`@grafana/grafana-foundation-sdk`): every option set here is a typed builder method or enum
 * member, so a misspelt option fails the typecheck instead of being ignored by Grafana. Every
 * builder takes a `description` (shown as the panel's "i" tooltip) because a dashboard is read
 * by someone who did not write it: each panel says what its lines mean and what a bad value
 * looks like.
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import * as stats from '@grafana/grafana-foundation-sdk/stat';
import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import * as texts from '@grafana/grafana-foundation-sdk/text';
import * as timeseriesPanel from '@grafana/grafana-foundation-sdk/timeseries';
import type * as units from '@grafana/grafana-foundation-sdk/units';

/** The provisioned datasource uids (infra/grafana/provisioning/datasources). */
export const DATASOURCE = {
  prometheus: { type: 'prometheus', uid: 'prometheus' },
  jaeger: { type: 'jaeger', uid: 'jaeger' },
} as const satisfies Record<string, common.DataSourceRef>;

/**
 * A Grafana unit id, e.g. `reqps`, `s`, `percentunit`, `bytes`: one of the SDK's unit constants.
 * The SDK's `.unit()` takes any string; this union is what makes a misspelt unit a type error.
 * (`default` is the CommonJS module itself, as an ES module sees it.)
 */
export type Unit = (typeof units)[Exclude<keyof typeof units, 'default'>];

/** The named colours the panels use (Grafana's palette names). */
export type Colour = 'green' | 'yellow' | 'orange' | 'red' | 'blue' | 'purple';

/** A panel ready for {@link layout}: an SDK builder whose `span` and `height` are set. */
export type PanelBuilder = cog.Builder<dashboard.Panel>;

/** Grid rows of a graph panel, and of a text panel. */
const GRAPH_HEIGHT = 8;
const TEXT_HEIGHT = 5;

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

/** Options shared by the graph builders. */
export interface GraphOptions {
  title: string;
  description: string;
  queries: Query[];
  unit: Unit;
  /**
   * Stack the series (for parts of a whole: requests by status, jobs by state).
   * @default false
   */
  stacked?: boolean;
  /**
   * Panel width in grid columns (of 24).
   * @default 12 (time series), 6 (stat), 24 (state timeline, text)
   */
  width?: number;
}

/** Range queries A, B, … against the provisioned Prometheus. */
function targets(queries: Query[]): cog.Builder<cog.Dataquery>[] {
  return queries.map((query, index) =>
    new DataqueryBuilder()
      .refId(String.fromCharCode(65 + index))
      .datasource(DATASOURCE.prometheus)
      .expr(query.expr)
      .legendFormat(query.legend)
      .range()
      .exemplar(query.exemplar ?? false),
  );
}

/** The builder methods every query panel kind shares (each returns the builder itself). */
interface QueryPanelBuilder<B> {
  title(title: string): B;
  description(description: string): B;
  datasource(datasource: common.DataSourceRef): B;
  span(width: number): B;
  height(height: number): B;
  targets(targets: cog.Builder<cog.Dataquery>[]): B;
}

/** Title, description, size and Prometheus range queries: what every query panel sets first. */
function queryPanel<B extends QueryPanelBuilder<B>>(
  builder: B,
  options: Pick<GraphOptions, 'title' | 'description' | 'queries'>,
  width: number,
): B {
  return builder
    .title(options.title)
    .description(options.description)
    .datasource(DATASOURCE.prometheus)
    .span(width)
    .height(GRAPH_HEIGHT)
    .targets(targets(options.queries));
}

/** A time series graph. */
export function timeseries(options: GraphOptions): PanelBuilder {
  const stacked = options.stacked === true;
  return queryPanel(new timeseriesPanel.PanelBuilder(), options, options.width ?? 12)
    .unit(options.unit)
    .min(0)
    .drawStyle(common.GraphDrawStyle.Line)
    .lineWidth(1)
    .fillOpacity(stacked ? 30 : 10)
    .showPoints(common.VisibilityMode.Never)
    .stacking(
      new common.StackingConfigBuilder()
        .mode(stacked ? common.StackingMode.Normal : common.StackingMode.None)
        .group('A'),
    )
    .legend(
      // The SDK's legend default is hidden; Grafana's (what an unset showLegend means) is shown.
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.Table)
        .placement(common.LegendPlacement.Bottom)
        .calcs(['lastNotNull', 'max']),
    )
    .tooltip(
      new common.VizTooltipOptionsBuilder()
        .mode(common.TooltipDisplayMode.Multi)
        .sort(common.SortOrder.Descending),
    );
}

/** One colour threshold of a stat panel: from `value` upwards (`null`: the base colour). */
export interface Step {
  color: Colour;
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

function thresholds(steps: Step[]): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps);
}

/** A single number (or one per series), coloured by `steps`. */
export function stat(options: Omit<GraphOptions, 'stacked'> & { steps: Step[] }): PanelBuilder {
  return queryPanel(new stats.PanelBuilder(), options, options.width ?? 6)
    .unit(options.unit)
    .thresholds(thresholds(options.steps))
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).fields('').values(false))
    .colorMode(common.BigValueColorMode.Background);
}

/** One state of a {@link stateTimeline}: the value a query returns, its name and colour. */
export interface State {
  value: number;
  text: string;
  color: Colour;
}

/** A state timeline: one row per series, coloured by the value mapped to a state name. */
export function stateTimeline(
  options: Omit<GraphOptions, 'unit' | 'stacked'> & { states: State[] },
): PanelBuilder {
  return (
    queryPanel(new statetimeline.PanelBuilder(), options, options.width ?? 24)
      .mappings(
        options.states.map((state) => ({
          type: dashboard.MappingType.ValueToText,
          options: { [String(state.value)]: { text: state.text, color: state.color, index: state.value } },
        })),
      )
      .colorScheme(new dashboard.FieldColorBuilder().mode(dashboard.FieldColorModeId.Thresholds))
      .thresholds(thresholds([{ color: 'green', value: null }]))
      .showValue(common.VisibilityMode.Never)
      .mergeValues(true)
      .rowHeight(0.8)
      .legend(new common.VizLegendOptionsBuilder().showLegend(true))
      // Grafana's own default; the SDK's is `asc`, which a single-series tooltip never uses.
      .tooltip(
        new common.VizTooltipOptionsBuilder()
          .mode(common.TooltipDisplayMode.Single)
          .sort(common.SortOrder.None),
      )
  );
}

/** A markdown note; it queries nothing, so it is the one panel kind without targets. */
export function text(options: {
  title: string;
  description: string;
  markdown: string;
  /** @default 24 */
  width?: number;
}): PanelBuilder {
  return new texts.PanelBuilder()
    .title(options.title)
    .description(options.description)
    .span(options.width ?? 24)
    .height(TEXT_HEIGHT)
    .mode(texts.TextMode.Markdown)
    .content(options.markdown);
}

/**
 * Places panels left to right, wrapping at 24 columns before a panel that would overflow, and
 * numbers them from 1. (The SDK's `DashboardBuilder.withPanel` wraps only after a row is full,
 * so a panel can hang past column 24; this keeps every row inside the grid.)
 */
export function layout(panels: PanelBuilder[]): dashboard.Panel[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return panels.map((builder, index) => {
    const panel = builder.build();
    const { w, h } = panel.gridPos ?? dashboard.defaultGridPos();
    if (x + w > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    panel.id = index + 1;
    panel.gridPos = { x, y, w, h };
    x += w;
    rowHeight = Math.max(rowHeight, h);
    return panel;
  });
}
