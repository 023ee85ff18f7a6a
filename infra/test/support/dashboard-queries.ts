/**
 * Every PromQL expression the provisioned Grafana dashboards and the Prometheus rule files
 * run, read from the committed files (what Grafana and Prometheus load, not the generator), so
 * a live check can evaluate each one.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { INFRA, readText, readYaml } from './repo.ts';

/** One query of a dashboard: a panel target or a template variable's `label_values` query. */
export interface DashboardQuery {
  /** File name under infra/grafana/dashboards. */
  dashboard: string;
  /** Panel title, or `variable <name>`. */
  panel: string;
  /** Panel target refId (`A`, `B`, …); `-` for a variable. */
  refId: string;
  /** The expression as stored, Grafana variables included. */
  expr: string;
  /** The panel asks Prometheus for exemplars (dots linking to traces). */
  exemplar: boolean;
}

/** One rule of infra/prometheus/rules. */
export interface RuleDefinition {
  file: string;
  group: string;
  /** The recorded series name, for a recording rule. */
  record?: string;
  /** The alert name, for an alerting rule. */
  alert?: string;
  expr: string;
}

interface StoredDashboard {
  panels: { title: string; targets?: { refId: string; expr: string; exemplar?: boolean }[] }[];
  templating: { list: { name: string; definition: string }[] };
}

const dashboardsDir = join(INFRA, 'grafana', 'dashboards');
const rulesDir = join(INFRA, 'prometheus', 'rules');

/** Every panel target and template variable query of every provisioned dashboard. */
export function dashboardQueries(): DashboardQuery[] {
  return readdirSync(dashboardsDir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .flatMap((file) => {
      const stored = JSON.parse(readText(`infra/grafana/dashboards/${file}`)) as StoredDashboard;
      const panels = stored.panels.flatMap((panel) =>
        (panel.targets ?? []).map((target) => ({
          dashboard: file,
          panel: panel.title,
          refId: target.refId,
          expr: target.expr,
          exemplar: target.exemplar === true,
        })),
      );
      const variables = stored.templating.list.map((variable) => ({
        dashboard: file,
        panel: `variable ${variable.name}`,
        refId: '-',
        expr: labelValuesSelector(variable.definition),
        exemplar: false,
      }));
      return [...panels, ...variables];
    });
}

/**
 * The series selector of a `label_values(selector, label)` variable query, wrapped so that it
 * returns data exactly when the variable would list values: `count by (label) (selector)`.
 */
export function labelValuesSelector(definition: string): string {
  const match = /^label_values\((.+),\s*(\w+)\)$/.exec(definition.trim());
  if (match === null) throw new RangeError(`not a label_values(selector, label) query: ${definition}`);
  return `count by (${match[2]}) (${match[1]})`;
}

/** Every recording and alerting rule of infra/prometheus/rules/*.yml. */
export function ruleDefinitions(): RuleDefinition[] {
  return readdirSync(rulesDir)
    .filter((file) => file.endsWith('.yml'))
    .sort()
    .flatMap((file) =>
      readYaml<{
        groups: { name: string; rules: { record?: string; alert?: string; expr: string }[] }[];
      }>(`infra/prometheus/rules/${file}`).groups.flatMap((group) =>
        group.rules.map((rule) => ({
          file,
          group: group.name,
          ...(rule.record === undefined ? {} : { record: rule.record }),
          ...(rule.alert === undefined ? {} : { alert: rule.alert }),
          expr: rule.expr,
        })),
      ),
    );
}

/**
 * Replaces the Grafana variables of `expr` the way Grafana would with every template variable
 * on "All" (`.*`, the dashboards' `allValue`) and the built-in intervals at the compose scrape
 * interval's scale (`$__rate_interval` 1m). `values` overrides any of them by name.
 */
export function substituteVariables(expr: string, values: Readonly<Record<string, string>> = {}): string {
  const builtIn: Record<string, string> = {
    __rate_interval: '1m',
    __interval: '5s',
    __range: '15m',
    ...values,
  };
  return expr.replace(/\$\{?(\w+)\}?/g, (_whole, name: string) => builtIn[name] ?? '.*');
}
