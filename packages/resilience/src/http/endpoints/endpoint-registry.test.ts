import { describe, expect, it } from 'vitest';
import { Emitter } from '../../policies/common/emitter.ts';
import { RoundRobinBalancer } from '../load-balancing/round-robin.ts';
import type { EndpointAddress } from './endpoint.ts';
import { EndpointRegistry, type EndpointChangeEvent } from './endpoint-registry.ts';
import { OutlierDetector, resolveOutlierOptions } from './outlier-detector.ts';

const address = (port: number): EndpointAddress => ({
  protocol: 'http:',
  address: '127.0.0.1',
  port,
  hostHeader: undefined,
  weight: 1,
});

function registry(maxEjectedPercent: number): {
  reg: EndpointRegistry;
  clock: { ms: number };
  events: string[];
} {
  const clock = { ms: 0 };
  const changes = new Emitter<EndpointChangeEvent>();
  const events: string[] = [];
  changes.subscribe((e) => events.push(`${e.change} ${e.endpoint}`));
  const reg = new EndpointRegistry({
    service: 'svc',
    createPool: () => ({ close: () => Promise.resolve() }) as never,
    createBreaker: undefined,
    balancer: new RoundRobinBalancer(),
    outliers: new OutlierDetector(
      resolveOutlierOptions({ consecutiveFailures: 1, baseEjectionMs: 100, maxEjectedPercent }),
      () => clock.ms,
    ),
    changes,
  });
  reg.reconcile([address(1), address(2)]);
  return { reg, clock, events };
}

describe('endpoint registry', () => {
  it('avoids endpoints this call already tried while others are eligible', () => {
    const { reg } = registry(50);
    const first = reg.pick()!;
    const tried = new Set([first]);
    for (let i = 0; i < 5; i++) expect(reg.pick(tried)).not.toBe(first);
  });

  it('falls back to a tried endpoint when it is the only one', () => {
    const { reg } = registry(50);
    const all = new Set(reg.all);
    expect(all.has(reg.pick(all)!)).toBe(true);
  });

  it('skips an ejected endpoint and takes it back when its time is up', () => {
    const { reg, clock, events } = registry(50);
    const [a, b] = reg.all;
    reg.record(a!, false);
    expect([reg.pick(), reg.pick(), reg.pick()]).toEqual([b, b, b]);
    clock.ms = 100;
    expect(new Set([reg.pick(), reg.pick()])).toEqual(new Set([a, b]));
    expect(events).toEqual([
      'added 127.0.0.1:1',
      'added 127.0.0.1:2',
      'ejected 127.0.0.1:1',
      'returned 127.0.0.1:1',
    ]);
  });

  it('uses every endpoint when all are ejected (panic mode)', () => {
    const { reg } = registry(100);
    const [a, b] = reg.all;
    reg.record(a!, false);
    reg.record(b!, false);
    expect(new Set([reg.pick(), reg.pick()])).toEqual(new Set([a, b]));
  });
});
