// Experiments: pick a scenario, run it on a private system or against this one, watch its
// timeline and hypotheses, keep the last verdicts.
import type { ConsoleInfo, ExperimentView } from '../shared/console-state.ts';
import { control } from './api.ts';
import { el } from './format.ts';

/** The scenario picker. */
export function renderExperimentForm(root: HTMLElement, info: ConsoleInfo): void {
  const scenario = el(
    'select',
    { id: 'experiment-scenario', 'data-control': '' },
    ...info.scenarios.map((s) => el('option', { value: s.name, title: s.title }, s.name)),
  );
  const where = el(
    'select',
    { id: 'experiment-where', 'data-control': '' },
    el('option', { value: 'private' }, 'on a private system (its own Redis and services)'),
    el('option', { value: 'target' }, 'against the system shown above'),
  );
  const short = el('input', { id: 'experiment-short', type: 'checkbox', checked: '', 'data-control': '' });
  const start = el('button', { id: 'experiment-run', 'data-control': '' }, 'run');
  const stop = el('button', { id: 'experiment-stop', 'data-control': '', class: 'secondary' }, 'stop');
  const title = el('p', { class: 'hint' });
  const note = el('span', { class: 'note' });
  const describe = (): void => {
    const s = info.scenarios.find((x) => x.name === scenario.value);
    title.textContent = s
      ? `${s.title}${s.privateOnly ? ' — private system only (signals or a Redis restart)' : ''}`
      : '';
  };
  scenario.addEventListener('change', describe);
  describe();
  const act = (path: string, body: unknown): void => {
    note.textContent = '…';
    note.className = 'note';
    control(path, body).then(
      () => (note.textContent = ''),
      (error: unknown) => {
        note.textContent = (error as Error).message;
        note.className = 'note error';
      },
    );
  };
  start.addEventListener('click', () =>
    act('/api/experiments', { scenario: scenario.value, short: short.checked, where: where.value }),
  );
  stop.addEventListener('click', () => act('/api/experiments/stop', {}));
  root.replaceChildren(
    el('div', { class: 'row' }, scenario, where, el('label', {}, short, ' --short'), start, stop, note),
    title,
  );
}

const seconds = (ms: number | undefined): string => (ms === undefined ? '' : `${(ms / 1000).toFixed(1)} s`);

function card(run: ExperimentView): HTMLElement {
  const verdict =
    run.state === 'running'
      ? 'RUNNING'
      : run.state === 'passed'
        ? 'PASS'
        : run.state === 'failed'
          ? 'FAIL'
          : 'ERROR';
  return el(
    'article',
    {
      class: `experiment ${run.state}`,
      'data-experiment-id': String(run.id),
      'data-scenario': run.scenario,
      'data-state': run.state,
    },
    el(
      'header',
      {},
      el('b', { class: 'verdict', 'data-verdict': verdict }, verdict),
      ` ${run.scenario}${run.short ? ' --short' : ''} · ${run.where === 'private' ? 'private system' : 'this system'} · ${new Date(run.startedAt).toLocaleTimeString()}${run.durationMs ? ` · ${seconds(run.durationMs)}` : ''} `,
      ...run.links.map((l) =>
        el('a', { href: l.href, target: '_blank', rel: 'noopener noreferrer' }, l.label),
      ),
    ),
    el('p', { class: 'hint' }, run.title),
    run.error ? el('p', { class: 'note error' }, run.error) : '',
    el(
      'ol',
      { class: 'timeline' },
      ...run.timeline.map((t) =>
        el(
          'li',
          { class: `step ${t.state}`, 'data-step-state': t.state },
          `${seconds(t.plannedAtMs)} planned — ${t.name} `,
          el('i', {}, t.state === 'running' ? 'running…' : t.state + (t.error ? `: ${t.error}` : '')),
        ),
      ),
    ),
    el(
      'table',
      { class: 'hypotheses' },
      ...run.hypotheses.map((h) =>
        el(
          'tr',
          { 'data-hypothesis': h.id, 'data-pass': h.pass === undefined ? 'pending' : String(h.pass) },
          el('td', { class: 'mark' }, h.pass === undefined ? '…' : h.pass ? 'PASS' : 'FAIL'),
          el('td', {}, el('b', {}, h.id), ` ${h.statement}`),
          el(
            'td',
            {},
            h.observed === undefined ? 'waiting for the verdict' : `${h.observed} (expected ${h.expected})`,
          ),
        ),
      ),
    ),
    run.state === 'running' ? el('pre', { class: 'log' }, run.log.slice(-8).join('\n')) : '',
  );
}

/** Redraws the list of runs. */
export function renderExperiments(root: HTMLElement, runs: readonly ExperimentView[]): void {
  root.replaceChildren(
    ...(runs.length === 0 ? [el('p', { class: 'hint' }, 'No experiment run yet.')] : runs.map(card)),
  );
}
