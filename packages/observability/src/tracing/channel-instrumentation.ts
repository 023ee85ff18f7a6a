import diagnosticsChannel from 'node:diagnostics_channel';
import type { Tracer, TracerProvider } from '@opentelemetry/api';
import { trace } from '@opentelemetry/api';
import type { Instrumentation, InstrumentationConfig } from '@opentelemetry/instrumentation';

/** A diagnostics channel name and what to do with each of its messages. */
export type ChannelSubscription = readonly [channel: string, onMessage: (message: unknown) => void];

/**
 * The shared shape of this package's instrumentations that only subscribe to diagnostics
 * channels (`node:http` client, undici/`fetch`, ioredis 6): no module hook, nothing patched,
 * so they cost nothing at start-up and can be enabled before or after the library loads.
 * Subclasses name their tracer and list their subscriptions.
 */
export abstract class ChannelInstrumentation implements Instrumentation {
  abstract readonly instrumentationName: string;
  readonly instrumentationVersion: string = '1.0.0';
  #config: InstrumentationConfig = { enabled: false };
  #tracer: Tracer | undefined;
  #active: readonly ChannelSubscription[] = [];

  /** The tracer of the provider this instrumentation was registered with (else the global one). */
  protected get tracer(): Tracer {
    return (this.#tracer ??= trace.getTracer(this.instrumentationName, this.instrumentationVersion));
  }

  /** The channels to subscribe to while enabled. */
  protected abstract subscriptions(): readonly ChannelSubscription[];

  setTracerProvider(tracerProvider: TracerProvider): void {
    this.#tracer = tracerProvider.getTracer(this.instrumentationName, this.instrumentationVersion);
  }

  setMeterProvider(): void {
    // Records no metrics: this package's middleware and the service client do, with the
    // contract's names.
  }

  setConfig(config: InstrumentationConfig): void {
    this.#config = { ...config, enabled: this.#config.enabled };
  }

  getConfig(): InstrumentationConfig {
    return this.#config;
  }

  enable(): void {
    if (this.#config.enabled === true) return;
    this.#active = this.subscriptions();
    for (const [channel, onMessage] of this.#active) diagnosticsChannel.subscribe(channel, onMessage);
    this.#config = { ...this.#config, enabled: true };
  }

  disable(): void {
    if (this.#config.enabled !== true) return;
    for (const [channel, onMessage] of this.#active) diagnosticsChannel.unsubscribe(channel, onMessage);
    this.#active = [];
    this.#config = { ...this.#config, enabled: false };
  }
}
