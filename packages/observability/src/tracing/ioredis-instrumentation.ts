import type { Attributes, Span } from '@opentelemetry/api';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import type { ChannelSubscription } from './channel-instrumentation.ts';
import { ChannelInstrumentation } from './channel-instrumentation.ts';

const spanKey = Symbol('@shipshape/observability/ioredis-span');

/** What ioredis 6 publishes with each command, MULTI batch or connection attempt. */
interface IoredisTraceContext {
  command?: string;
  /** Already sanitized by ioredis (values of writes replaced by `?`). */
  args?: string[];
  batchMode?: string;
  batchSize?: number;
  database?: number;
  serverAddress?: string;
  serverPort?: number;
  connectionEpoch?: number;
  error?: Error & { code?: string };
  [spanKey]?: Span;
}

/** Options of {@link IoredisInstrumentation}. */
export interface IoredisInstrumentationOptions {
  /**
   * Trace only commands issued under an active span. Queue libraries such as BullMQ poll Redis
   * all the time; without a parent those polls would each become a trace of their own.
   * @default true
   */
  requireParentSpan?: boolean;
}

/**
 * A CLIENT span per Redis command, MULTI batch and connection attempt of ioredis 6, from the
 * tracing channels ioredis itself publishes (`ioredis:command`, `ioredis:batch`,
 * `ioredis:connect`), instead of `@opentelemetry/instrumentation-ioredis`, which wraps
 * `Redis.prototype.sendCommand` through module hooks (`require-in-the-middle` on every later
 * `require`, and an ESM loader hook): nothing is patched, nothing is hooked, and it works
 * whether ioredis was loaded before or after. ioredis before 6 publishes nothing and is not
 * traced.
 *
 * Span: the command name (`GET`, `EVALSHA`, `MULTI`, `connect`), `db.system.name` = `redis`,
 * `db.operation.name`, `db.query.text` (ioredis's sanitized arguments: written values become
 * `?`), `db.namespace` (the database index), `server.address`, `server.port`,
 * `db.operation.batch.size` for MULTI; status ERROR and `error.type` when the command fails.
 */
export class IoredisInstrumentation extends ChannelInstrumentation {
  readonly instrumentationName = '@shipshape/observability/ioredis';
  readonly #requireParentSpan: boolean;

  constructor(options: IoredisInstrumentationOptions = {}) {
    super();
    this.#requireParentSpan = options.requireParentSpan ?? true;
  }

  #start(name: string, ctx: IoredisTraceContext, attributes: Attributes): void {
    const parent = context.active();
    if (isTracingSuppressed(parent)) return;
    if (this.#requireParentSpan && trace.getSpan(parent) === undefined) return;
    attributes['db.system.name'] = 'redis';
    if (ctx.database !== undefined) attributes['db.namespace'] = String(ctx.database);
    if (ctx.serverAddress !== undefined) attributes['server.address'] = ctx.serverAddress;
    if (ctx.serverPort !== undefined) attributes['server.port'] = ctx.serverPort;
    ctx[spanKey] = this.tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, parent);
  }

  readonly #onCommand = (message: unknown): void => {
    const ctx = message as IoredisTraceContext;
    const operation = (ctx.command ?? 'unknown').toUpperCase();
    const attributes: Attributes = { 'db.operation.name': operation };
    if (ctx.args !== undefined) {
      attributes['db.query.text'] = ctx.args.length === 0 ? operation : `${operation} ${ctx.args.join(' ')}`;
    }
    this.#start(operation, ctx, attributes);
  };

  readonly #onBatch = (message: unknown): void => {
    const ctx = message as IoredisTraceContext;
    const operation = ctx.batchMode ?? 'MULTI';
    this.#start(operation, ctx, {
      'db.operation.name': operation,
      ...(ctx.batchSize === undefined ? {} : { 'db.operation.batch.size': ctx.batchSize }),
    });
  };

  readonly #onConnect = (message: unknown): void => {
    this.#start('connect', message as IoredisTraceContext, {});
  };

  readonly #onError = (message: unknown): void => {
    const ctx = message as IoredisTraceContext;
    const span = ctx[spanKey];
    if (span === undefined || ctx.error === undefined) return;
    span.recordException(ctx.error);
    span.setAttribute('error.type', ctx.error.code ?? ctx.error.name);
    span.setStatus({ code: SpanStatusCode.ERROR, message: ctx.error.message });
  };

  /** Ends the span once the command's promise settled (or it threw synchronously). */
  readonly #onSettled = (message: unknown): void => {
    const ctx = message as IoredisTraceContext;
    ctx[spanKey]?.end();
    delete ctx[spanKey];
  };

  readonly #onEnd = (message: unknown): void => {
    // `end` follows the synchronous call; only a call that threw is over at that point.
    if ((message as IoredisTraceContext).error !== undefined) this.#onSettled(message);
  };

  protected subscriptions(): readonly ChannelSubscription[] {
    const subscriptions: ChannelSubscription[] = [];
    for (const [name, onStart] of [
      ['command', this.#onCommand],
      ['batch', this.#onBatch],
      ['connect', this.#onConnect],
    ] as const) {
      subscriptions.push(
        [`tracing:ioredis:${name}:start`, onStart],
        [`tracing:ioredis:${name}:end`, this.#onEnd],
        [`tracing:ioredis:${name}:asyncStart`, this.#onSettled],
        [`tracing:ioredis:${name}:error`, this.#onError],
      );
    }
    return subscriptions;
  }
}
