// A minimal, real implementation of the OpenTelemetry API interfaces for tests: an
// AsyncLocalStorage context manager, a W3C traceparent propagator and a tracer that records
// spans. Only @opentelemetry/api is a dependency of this package, so no SDK is used here.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  trace,
  TraceFlags,
  type Attributes,
  type AttributeValue,
  type Context,
  type ContextManager,
  type Span,
  type SpanContext,
  type SpanOptions,
  type SpanStatus,
  type TextMapPropagator,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';

export interface RecordedSpan {
  name: string;
  kind: number | undefined;
  context: SpanContext;
  parentSpanId: string | undefined;
  attributes: Attributes;
  status: SpanStatus;
  ended: boolean;
}

class RecordingSpan implements Span {
  readonly record: RecordedSpan;
  constructor(record: RecordedSpan) {
    this.record = record;
  }
  spanContext(): SpanContext {
    return this.record.context;
  }
  setAttribute(key: string, value: AttributeValue): this {
    this.record.attributes[key] = value;
    return this;
  }
  setAttributes(attributes: Attributes): this {
    Object.assign(this.record.attributes, attributes);
    return this;
  }
  addEvent(): this {
    return this;
  }
  addLink(): this {
    return this;
  }
  addLinks(): this {
    return this;
  }
  setStatus(status: SpanStatus): this {
    this.record.status = status;
    return this;
  }
  updateName(name: string): this {
    this.record.name = name;
    return this;
  }
  end(): void {
    this.record.ended = true;
  }
  isRecording(): boolean {
    return !this.record.ended;
  }
  recordException(): void {}
}

class RecordingTracer implements Tracer {
  readonly spans: RecordedSpan[];
  constructor(spans: RecordedSpan[]) {
    this.spans = spans;
  }
  startSpan(name: string, options: SpanOptions = {}, ctx: Context = context.active()): Span {
    const parent = trace.getSpanContext(ctx);
    const record: RecordedSpan = {
      name,
      kind: options.kind,
      context: {
        traceId: parent?.traceId ?? randomBytes(16).toString('hex'),
        spanId: randomBytes(8).toString('hex'),
        traceFlags: TraceFlags.SAMPLED,
      },
      parentSpanId: parent?.spanId,
      attributes: { ...options.attributes },
      status: { code: 0 },
      ended: false,
    };
    this.spans.push(record);
    return new RecordingSpan(record);
  }
  startActiveSpan(): never {
    throw new Error('not used by the client');
  }
}

class AlsContextManager implements ContextManager {
  readonly #als = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.#als.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.#als.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    return this;
  }
}

const traceparent: TextMapPropagator = {
  inject(ctx, carrier, setter) {
    const span = trace.getSpanContext(ctx);
    if (span) setter.set(carrier, 'traceparent', `00-${span.traceId}-${span.spanId}-01`);
  },
  extract: (ctx) => ctx,
  fields: () => ['traceparent'],
};

/** Installs the recorder globally (once per test file) and returns the recorded spans. */
export function installTraceRecorder(): { spans: RecordedSpan[]; tracer: Tracer } {
  const spans: RecordedSpan[] = [];
  const tracer = new RecordingTracer(spans);
  const provider: TracerProvider = { getTracer: () => tracer };
  context.setGlobalContextManager(new AlsContextManager());
  propagation.setGlobalPropagator(traceparent);
  trace.setGlobalTracerProvider(provider);
  return { spans, tracer };
}
