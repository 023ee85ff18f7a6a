import { describe, expect, it } from 'vitest';
import { bridgeConfigReloads } from './config-reloads.ts';
import type { ConfigReloadEvent } from './config-reloads.ts';
import { parseExposition, valueOf } from '@shipshape/test-harness/exposition';
import { FakeEmitter } from './fake-emitter.test-helper.ts';
import { MetricsRegistry } from './metrics-registry.ts';

describe('bridgeConfigReloads', () => {
  it('counts reloads by source and outcome until disposed', async () => {
    const metrics = new MetricsRegistry({ service: 'order', defaultMetrics: false });
    const reloads = new FakeEmitter<ConfigReloadEvent>();
    const bridge = bridgeConfigReloads({ onReload: reloads.subscribe }, metrics);
    reloads.emit({ source: 'file', outcome: 'applied' });
    reloads.emit({ source: 'file', outcome: 'applied' });
    reloads.emit({ source: 'redis', outcome: 'rejected' });
    bridge.dispose();
    reloads.emit({ source: 'file', outcome: 'applied' });
    const exp = parseExposition(await metrics.render('prometheus'));
    expect(valueOf(exp, 'config_reloads_total', { source: 'file', outcome: 'applied' })).toBe(2);
    expect(valueOf(exp, 'config_reloads_total', { source: 'redis', outcome: 'rejected' })).toBe(1);
  });
});
