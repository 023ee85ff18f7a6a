// Two uPlot charts fed by the snapshots: requests/s per arrow and the queue depth by state,
// over the last five minutes.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { EdgeId, Snapshot } from '../shared/console-state.ts';

const keepPoints = 300;
const edgeOrder: EdgeId[] = ['client-user', 'client-order', 'order-user', 'order-queue', 'queue-payment'];
const colors = ['#6c8ebf', '#2f7d32', '#8e44ad', '#e67e22', '#c0392b'];

class Series {
  readonly #plot: uPlot;
  readonly #data: (number | null)[][];

  constructor(root: HTMLElement, labels: readonly string[], yLabel: string) {
    this.#data = [[], ...labels.map(() => [])];
    this.#plot = new uPlot(
      {
        width: Math.max(320, root.clientWidth - 8),
        height: 200,
        series: [{}, ...labels.map((label, i) => ({ label, stroke: colors[i % colors.length], width: 2 }))],
        axes: [{}, { label: yLabel, size: 50 }],
        scales: { x: { time: true } },
        legend: { live: false },
      },
      this.#data as uPlot.AlignedData,
      root,
    );
    new ResizeObserver(() =>
      this.#plot.setSize({ width: Math.max(320, root.clientWidth - 8), height: 200 }),
    ).observe(root);
  }

  push(at: number, values: readonly (number | null)[]): void {
    this.#data[0]!.push(at / 1000);
    values.forEach((v, i) => this.#data[i + 1]!.push(v));
    if (this.#data[0]!.length > keepPoints) for (const column of this.#data) column.shift();
    this.#plot.setData(this.#data as uPlot.AlignedData);
  }
}

/** The page's two charts. */
export class Charts {
  readonly #rates: Series;
  readonly #queue: Series;

  constructor(rates: HTMLElement, queue: HTMLElement) {
    this.#rates = new Series(
      rates,
      edgeOrder.map((id) => id.replace('-', ' → ')),
      'req/s',
    );
    this.#queue = new Series(queue, ['waiting', 'active', 'delayed', 'dead letter'], 'jobs');
  }

  add(snapshot: Snapshot): void {
    this.#rates.push(
      snapshot.at,
      edgeOrder.map((id) => snapshot.edges.find((e) => e.id === id)?.rate.value ?? null),
    );
    const q = snapshot.queue;
    this.#queue.push(
      snapshot.at,
      q ? [q.waiting, q.active, q.delayed, q.deadLetter] : [null, null, null, null],
    );
  }
}
