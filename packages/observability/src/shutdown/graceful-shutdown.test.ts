import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHealth } from '../health/health.ts';
import { installGracefulShutdown } from './graceful-shutdown.ts';
import type { GracefulShutdownOptions, ServerLike, ShutdownLogger } from './graceful-shutdown.ts';

/** A server with no connections: close() completes at once. */
class IdleServer extends EventEmitter implements ServerLike {
  calls: string[] = [];
  close(callback?: (error?: Error) => void) {
    this.calls.push('close');
    setImmediate(() => callback?.());
    return this;
  }
  closeIdleConnections() {
    this.calls.push('closeIdleConnections');
  }
  closeAllConnections() {
    this.calls.push('closeAllConnections');
  }
}

describe('installGracefulShutdown', () => {
  let logs: string[];
  let exits: number[];
  let signals: EventEmitter;
  let server: IdleServer;
  const logger: ShutdownLogger = {
    info: (c, m) => logs.push(`info ${m}${'closer' in c ? ` ${String(c.closer)}` : ''}`),
    warn: (c, m) => logs.push(`warn ${m}${'closer' in c ? ` ${String(c.closer)}` : ''}`),
    error: (c, m) => logs.push(`error ${m}${'closer' in c ? ` ${String(c.closer)}` : ''}`),
  };
  const install = (options: Partial<GracefulShutdownOptions> = {}) =>
    installGracefulShutdown({
      server,
      logger,
      exit: (code) => void exits.push(code),
      signalSource: signals,
      ...options,
    });

  beforeEach(() => {
    logs = [];
    exits = [];
    signals = new EventEmitter();
    server = new IdleServer();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fails readiness before anything else, then waits the pre-stop delay before closing', async () => {
    vi.useFakeTimers();
    const health = createHealth();
    const shutdown = install({ health, preStopDelayMs: 5000 });
    signals.emit('SIGTERM', 'SIGTERM');
    expect([health.shuttingDown, shutdown.shuttingDown]).toEqual([true, true]);
    expect((await health.readiness()).status).toBe('unavailable');
    await vi.advanceTimersByTimeAsync(4999);
    expect(server.calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.calls).toEqual(['close', 'closeIdleConnections']);
  });

  it('runs closers in reverse order, each bounded, past failures, then exits 0', async () => {
    vi.useFakeTimers();
    const order: string[] = [];
    const shutdown = install({
      closerTimeoutMs: 1000,
      closers: [{ name: 'telemetry', close: () => void order.push('telemetry') }],
    });
    shutdown.register({ name: 'redis', close: () => Promise.reject(new Error('already closed')) });
    shutdown.register({ name: 'queue', close: () => new Promise(() => order.push('queue')) });
    const done = shutdown.shutdown('test');
    await vi.advanceTimersByTimeAsync(1000);
    await done;
    expect(order).toEqual(['queue', 'telemetry']);
    expect(logs).toEqual([
      'info shutdown started',
      'info server drained',
      'warn closer timed out queue',
      'error closer failed redis',
      'info closed telemetry',
      'info shutdown complete',
    ]);
    expect(exits).toEqual([0]);
  });

  it('honours a closer-specific timeout', async () => {
    vi.useFakeTimers();
    const shutdown = install({ closerTimeoutMs: 10_000 });
    shutdown.register({ name: 'queue', timeoutMs: 200, close: () => new Promise(() => undefined) });
    const done = shutdown.shutdown();
    await vi.advanceTimersByTimeAsync(200);
    await done;
    expect(exits).toEqual([0]);
  });

  it('forces exit 1 on a second signal and stops the sequence', async () => {
    const closed: string[] = [];
    install({ preStopDelayMs: 50, closers: [{ name: 'redis', close: () => void closed.push('redis') }] });
    signals.emit('SIGTERM', 'SIGTERM');
    signals.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([1]);
    expect(logs).toEqual(['info shutdown started', 'error second shutdown request, forcing exit']);
    // Kept real: past the 50 ms pre-stop delay nothing may close after the forced exit.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect([exits, closed]).toEqual([[1], []]);
  });

  it('stops listening to signals once disposed', () => {
    install().dispose();
    expect([
      signals.listenerCount('SIGTERM'),
      signals.listenerCount('SIGINT'),
      server.listenerCount('request'),
    ]).toEqual([0, 0, 0]);
  });

  it('validates its durations', () => {
    expect(() => install({ drainTimeoutMs: -1 })).toThrow(
      new RangeError('drainTimeoutMs must be a non-negative number of milliseconds, got -1'),
    );
  });
});
