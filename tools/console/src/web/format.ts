import type { Figure } from '../shared/console-state.ts';

/** Creates an element with attributes and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string>> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

/** A figure as text with its metric as the tooltip; "—" when the metric was not reported. */
export function figure(f: Figure | undefined, format: (v: number) => string, label: string): HTMLElement {
  const text = f?.value === null || f === undefined ? '—' : format(f.value);
  return el(
    'span',
    { class: 'figure', title: f?.metric ?? 'not reported', 'data-figure': label },
    el('b', {}, text),
    ` ${label}`,
  );
}

export const perSecond = (v: number): string => `${v < 10 ? v.toFixed(1) : v.toFixed(0)}/s`;
export const percent = (v: number): string => `${(v * 100).toFixed(v < 0.1 && v > 0 ? 1 : 0)}%`;
export const millis = (v: number): string =>
  v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`;
