/**
 * A misspelt dashboard option fails the typecheck (`npm run typecheck -w @shipshape/infra`, run
 * in CI): every `@ts-expect-error` below must meet a type error on the line after it, or tsc
 * fails with "Unused '@ts-expect-error' directive". The runtime assertions show why the types
 * are the guard: at run time the misspelt value goes into the JSON as written, and Grafana
 * ignores what it does not know.
 */
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { describe, expect, it } from 'vitest';
import { stat, timeseries } from '../src/grafana/panels.ts';

const graph = {
  title: 'Requests per second',
  description: 'A panel built only to show what the types reject.',
  queries: [{ expr: 'sum(rate(http_server_request_duration_seconds_count[1m]))', legend: 'all' }],
};

describe('the dashboard builders reject at compile time', () => {
  it('a misspelt panel option (the builder method does not exist)', () => {
    const panel = new PanelBuilder();
    // The call has no type (it is the error under test), so lint's unsafe-call rules are off for it.
    /* eslint-disable @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return */
    // @ts-expect-error -- `fillOpacty` is not an option of a time series panel (`fillOpacity` is)
    expect(() => panel.fillOpacty(10)).toThrow(TypeError);
    /* eslint-enable @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return */
  });

  it('a misspelt option value (options are enums, not free strings)', () => {
    // @ts-expect-error -- 'lines' is not a GraphDrawStyle (`GraphDrawStyle.Line` is 'line')
    const built = new PanelBuilder().drawStyle('lines').build();
    expect(built.fieldConfig?.defaults.custom).toMatchObject({ drawStyle: 'lines' });
  });

  it('a misspelt unit', () => {
    // @ts-expect-error -- 'reqsp' is no Grafana unit (`reqps` is)
    const built = timeseries({ ...graph, unit: 'reqsp' }).build();
    expect(built.fieldConfig?.defaults.unit).toBe('reqsp');
  });

  it('a misspelt threshold colour', () => {
    // @ts-expect-error -- 'gren' is not a colour of the palette
    const built = stat({ ...graph, unit: 'reqps', steps: [{ color: 'gren', value: null }] }).build();
    expect(built.fieldConfig?.defaults.thresholds?.steps).toEqual([{ color: 'gren', value: null }]);
  });

  it('a misspelt option name in an options bag', () => {
    // @ts-expect-error -- `stacekd` is not an option (`stacked` is); the panel would not stack
    const built = timeseries({ ...graph, unit: 'reqps', stacekd: true }).build();
    expect(built.fieldConfig?.defaults.custom).toMatchObject({ stacking: { mode: 'none' } });
  });
});
