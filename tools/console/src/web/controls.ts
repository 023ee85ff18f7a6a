// Chaos, load and dead-letter controls. Every control is a POST with the admin token; the
// server applies chaos to every replica through the runtime override path of `npm run chaos`.
import type { ConsoleInfo, LoadStatus, ServiceId } from '../shared/console-state.ts';
import { control } from './api.ts';
import { el } from './format.ts';

/** Shows a control's outcome next to it. */
function run(note: HTMLElement, action: () => Promise<unknown>, done: string): void {
  note.textContent = '…';
  note.className = 'note';
  action().then(
    () => {
      note.textContent = done;
    },
    (error: unknown) => {
      note.textContent = (error as Error).message;
      note.className = 'note error';
    },
  );
}

const ranges: Readonly<Record<string, { max: string; step: string; unit: string }>> = {
  errorRate: { max: '1', step: '0.05', unit: '0..1' },
  declineRate: { max: '1', step: '0.05', unit: '0..1' },
  latencyMs: { max: '30000', step: '50', unit: 'ms' },
};

/** The chaos form: one row per service with its keys, apply and reset. */
export function renderChaos(root: HTMLElement, info: ConsoleInfo): void {
  root.replaceChildren();
  for (const service of Object.keys(info.chaosKeys) as ServiceId[]) {
    const keys = info.chaosKeys[service];
    if (keys.length === 0) continue;
    const note = el('span', { class: 'note', 'data-chaos-note': service });
    const inputs = keys.map((key) =>
      el('input', {
        type: 'number',
        min: '0',
        max: ranges[key]?.max ?? '1',
        step: ranges[key]?.step ?? 'any',
        placeholder: ranges[key]?.unit ?? '',
        'data-control': '',
        'data-chaos-input': `${service}.${key}`,
        'aria-label': `${service} ${key}`,
      }),
    );
    const apply = el('button', { 'data-control': '', 'data-chaos-apply': service }, 'apply');
    const reset = el(
      'button',
      { 'data-control': '', 'data-chaos-reset': service, class: 'secondary' },
      'reset',
    );
    apply.addEventListener('click', () => {
      const values: Record<string, number> = {};
      inputs.forEach((input, i) => {
        if (input.value !== '') values[keys[i]!] = Number(input.value);
      });
      run(note, () => control('/api/chaos', { service, values }), 'applied on every replica');
    });
    reset.addEventListener('click', () => {
      inputs.forEach((input) => (input.value = ''));
      run(note, () => control('/api/chaos/reset', { service }), 'every override removed');
    });
    root.append(
      el(
        'div',
        { class: 'chaos-row' },
        el('h3', {}, service),
        ...keys.flatMap((key, i) => [el('label', {}, key, inputs[i]!)]),
        apply,
        reset,
        el('div', { class: 'overrides', 'data-overrides': service }),
        note,
      ),
    );
  }
}

/** Shows the overrides in force per service (from Redis). */
export function renderOverrides(
  root: HTMLElement,
  overrides: Readonly<Record<string, Readonly<Record<string, string>>>>,
): void {
  for (const [service, values] of Object.entries(overrides)) {
    const box = root.querySelector<HTMLElement>(`[data-overrides="${service}"]`);
    if (!box) continue;
    const entries = Object.entries(values);
    box.textContent =
      entries.length === 0 ? 'no overrides' : `in force: ${entries.map(([k, v]) => `${k}=${v}`).join(', ')}`;
  }
}

/** The load form and its progress. */
export function renderLoadForm(root: HTMLElement): (status: LoadStatus) => void {
  const rate = el('input', { id: 'load-rate', type: 'number', min: '1', value: '20', 'data-control': '' });
  const duration = el('input', {
    id: 'load-duration',
    type: 'number',
    min: '1',
    value: '60',
    'data-control': '',
  });
  const start = el('button', { id: 'load-start', 'data-control': '' }, 'start');
  const stop = el('button', { id: 'load-stop', 'data-control': '', class: 'secondary' }, 'stop');
  const note = el('span', { class: 'note' });
  const bar = el('progress', { id: 'load-bar', max: '1', value: '0' });
  const progress = el('div', { id: 'load-progress', class: 'progress' }, 'no load running');
  start.addEventListener('click', () =>
    run(
      note,
      () => control('/api/load', { rate: Number(rate.value), durationSeconds: Number(duration.value) }),
      'started',
    ),
  );
  stop.addEventListener('click', () => run(note, () => control('/api/load/stop', {}), 'stopping'));
  root.replaceChildren(
    el(
      'div',
      { class: 'row' },
      el('label', {}, 'rate req/s', rate),
      el('label', {}, 'duration s', duration),
      start,
      stop,
      note,
    ),
    bar,
    progress,
  );
  return (status) => {
    bar.value = status.durationSeconds > 0 ? Math.min(1, status.elapsedSeconds / status.durationSeconds) : 0;
    const statuses = Object.entries(status.statuses)
      .map(([s, n]) => `${s}:${n}`)
      .join(' ');
    progress.dataset['running'] = String(status.running);
    progress.textContent =
      status.rate === 0
        ? 'no load running'
        : `${status.running ? 'running' : 'finished'}: ${status.rate} req/s, ${status.elapsedSeconds.toFixed(0)} of ${status.durationSeconds} s — sent ${status.sent}, answered ${status.completed}${statuses ? ` (${statuses})` : ''}${status.error ? ` — ${status.error}` : ''}`;
    progress.title = status.summary ?? '';
  };
}

/** The dead-letter replay button. */
export function renderDeadLetters(root: HTMLElement): void {
  const replay = el('button', { id: 'dlq-replay', 'data-control': '' }, 'replay all dead letters');
  const note = el('span', { class: 'note' });
  replay.addEventListener('click', () =>
    run(
      note,
      () => control('/api/dead-letters/replay', {}),
      'replayed into the payments queue (npm run dlq -- replay --all)',
    ),
  );
  root.replaceChildren(el('div', { class: 'row' }, replay, note));
}
