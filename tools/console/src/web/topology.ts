// The live topology: client → user / order → queue → payment, one box per service and one per
// arrow, rebuilt from each snapshot. Every number carries its metric as a tooltip.
import type { BreakerLight, EdgeFigures, EdgeId, Snapshot } from '../shared/console-state.ts';
import { el, figure, millis, percent, perSecond } from './format.ts';

function edgeBox(edge: EdgeFigures | undefined, id: EdgeId, lights: readonly BreakerLight[]): HTMLElement {
  const box = el(
    'div',
    { class: `edge edge-${id}`, 'data-edge': id },
    el('div', { class: 'arrow' }, id === 'order-user' ? '↓' : '→'),
    figure(edge?.rate, perSecond, 'req/s'),
    figure(edge?.errorRatio, percent, 'errors'),
    figure(edge?.p99Ms, millis, 'p99'),
  );
  if (lights.length > 0)
    box.append(
      el(
        'div',
        { class: 'lights' },
        ...lights.map((l) =>
          el(
            'span',
            {
              class: `light light-${l.state}`,
              title: `${l.name} held by ${l.holder}: ${l.state} (resilience_circuit_breaker_state)`,
              'data-breaker-upstream': l.upstream,
              'data-state': l.state,
            },
            l.state.replace('_', '-'),
          ),
        ),
      ),
    );
  return box;
}

function serviceBox(snapshot: Snapshot, service: 'user' | 'order' | 'payment'): HTMLElement {
  const replicas = snapshot.replicas[service] ?? [];
  const box = el(
    'div',
    { class: `node node-${service}`, 'data-node': service },
    el('h3', {}, service),
    el(
      'div',
      { class: 'replicas' },
      ...replicas.map((r) =>
        el(
          'span',
          { class: `replica ${r.up ? 'up' : 'down'}`, title: r.error ?? `${r.url}/metrics answered` },
          r.name,
        ),
      ),
    ),
  );
  for (const limit of snapshot.rateLimits.filter((l) => l.service === service))
    box.append(
      el(
        'div',
        { class: 'limit', 'data-rate-limit': limit.name },
        el('small', {}, `${limit.name}${limit.degraded ? ' (degraded)' : ''}`),
        figure(limit.allowedPerSec, perSecond, 'admitted'),
        figure(limit.rejectedPerSec, perSecond, 'rejected'),
      ),
    );
  return box;
}

function queueBox(snapshot: Snapshot): HTMLElement {
  const q = snapshot.queue;
  const metric = (state: string): string => `queue_jobs{state="${state}"} (largest over order replicas)`;
  const row = (state: string, key: string, value: number | undefined): HTMLElement =>
    el(
      'span',
      { class: 'figure', title: metric(state), 'data-queue': key },
      el('b', {}, value === undefined ? '—' : String(value)),
      ` ${state.replace('_', ' ')}`,
    );
  const depth = q === undefined ? undefined : q.waiting + q.active + q.delayed;
  const box = el(
    'div',
    {
      class: 'node node-queue',
      'data-node': 'queue',
      'data-queue-depth': depth === undefined ? '' : String(depth),
    },
    el('h3', {}, `queue ${q?.queue ?? ''}`),
    row('waiting', 'waiting', q?.waiting),
    row('active', 'active', q?.active),
    row('delayed', 'delayed', q?.delayed),
    row('dead_letter', 'dead-letter', q?.deadLetter),
    figure(snapshot.paidPerSec, perSecond, 'paid'),
  );
  if (snapshot.paidLag) box.append(figure(snapshot.paidLag, millis, 'paid-lag p99'));
  return box;
}

/** Redraws the topology into `root`. */
export function renderTopology(root: HTMLElement, snapshot: Snapshot): void {
  const edge = (id: EdgeId): EdgeFigures | undefined => snapshot.edges.find((e) => e.id === id);
  const lights = (upstream: string): BreakerLight[] =>
    snapshot.breakers.filter((b) => b.upstream === upstream);
  root.replaceChildren(
    el(
      'div',
      { class: 'node node-client', 'data-node': 'client' },
      el('h3', {}, 'client'),
      el('small', {}, 'load, you'),
    ),
    edgeBox(edge('client-order'), 'client-order', []),
    serviceBox(snapshot, 'order'),
    edgeBox(edge('order-queue'), 'order-queue', []),
    queueBox(snapshot),
    edgeBox(edge('queue-payment'), 'queue-payment', lights('payment')),
    serviceBox(snapshot, 'payment'),
    edgeBox(edge('order-user'), 'order-user', lights('user')),
    edgeBox(edge('client-user'), 'client-user', []),
    serviceBox(snapshot, 'user'),
  );
}
