import { Worker } from 'node:worker_threads';
import type { Context } from '@opentelemetry/api';
import { diag, TraceFlags } from '@opentelemetry/api';
import { globalErrorHandler } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { FromWorker, ToWorker, WorkerSettings } from './protocol.ts';
import type { WireSpan } from './span-wire.ts';
import { encodeSpan } from './span-wire.ts';

/** Options of {@link WorkerSpanProcessor}; the same as the SDK's `BatchSpanProcessor`'s. */
export interface WorkerSpanProcessorOptions {
  /**
   * Spans per export (and per message to the worker).
   * @default 512 (OTEL_BSP_MAX_EXPORT_BATCH_SIZE)
   */
  maxExportBatchSize?: number;
  /**
   * Spans waiting or in flight in the worker beyond which new batches are dropped (and
   * reported through the OpenTelemetry diag logger).
   * @default 2048 (OTEL_BSP_MAX_QUEUE_SIZE)
   */
  maxQueueSize?: number;
  /**
   * Longest time a finished span waits before its batch goes to the worker, in milliseconds.
   * @default 5000 (OTEL_BSP_SCHEDULE_DELAY)
   */
  scheduledDelayMillis?: number;
  /**
   * How long `forceFlush()` and `shutdown()` wait for the worker, in milliseconds.
   * @default 30000 (OTEL_BSP_EXPORT_TIMEOUT)
   */
  exportTimeoutMillis?: number;
}

// The worker's entry next to this file: .ts when running from source, .js from dist.
const workerUrl = new URL(
  import.meta.url.endsWith('.ts') ? './span-export-worker.ts' : './span-export-worker.js',
  import.meta.url,
);

/**
 * A batching span processor whose exports run on a worker thread: the application thread
 * copies each finished, sampled span into a flat array (a `postMessage` per batch), and the
 * worker rebuilds the spans, serializes them to OTLP/JSON and sends them with the official
 * OTLP/HTTP exporter (configured by the `OTEL_EXPORTER_OTLP_*` variables, as before). The
 * thread that serves requests never runs the serializer or outgoing HTTP code.
 *
 * Same batching as the SDK's `BatchSpanProcessor`: a batch goes when it holds
 * `maxExportBatchSize` spans or `scheduledDelayMillis` after its first span; spans beyond
 * `maxQueueSize` waiting in the worker are dropped. The worker starts with the first batch
 * (none at start-up), does not keep the process alive, and is started again if it dies.
 */
export class WorkerSpanProcessor implements SpanProcessor {
  readonly #batchSize: number;
  readonly #delay: number;
  readonly #timeout: number;
  readonly #settings: WorkerSettings;
  #pending: WireSpan[] = [];
  #timer: NodeJS.Timeout | undefined;
  #worker: Worker | undefined;
  #resources = new Map<Resource, number>();
  #waiting = new Map<number, () => void>();
  #nextId = 1;
  #stopping: Promise<void> | undefined;

  constructor(options: WorkerSpanProcessorOptions = {}) {
    const maxQueueSize = options.maxQueueSize ?? 2048;
    this.#batchSize = Math.max(1, Math.min(options.maxExportBatchSize ?? 512, maxQueueSize));
    this.#delay = options.scheduledDelayMillis ?? 5000;
    this.#timeout = options.exportTimeoutMillis ?? 30_000;
    this.#settings = { maxQueueSize };
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if (this.#stopping !== undefined) return;
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    let index = this.#resources.get(span.resource);
    if (index === undefined) index = this.#addResource(span.resource);
    const pending = this.#pending;
    pending.push(encodeSpan(span, index));
    if (pending.length >= this.#batchSize) this.#send();
    else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.#send(), this.#delay);
      this.#timer.unref();
    }
  }

  forceFlush(): Promise<void> {
    if (this.#stopping !== undefined) return this.#stopping;
    this.#send();
    return this.#worker === undefined ? Promise.resolve() : this.#ask('flush');
  }

  shutdown(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#send();
      const worker = this.#worker;
      if (worker === undefined) return;
      try {
        await this.#ask('shutdown');
      } finally {
        await worker.terminate();
        this.#worker = undefined;
      }
    })();
    return this.#stopping;
  }

  #addResource(resource: Resource): number {
    const index = this.#resources.size;
    this.#resources.set(resource, index);
    // The worker gets the attributes known now. A resource still waiting for asynchronous
    // ones (never this package's: it is built synchronously) is exported without them.
    if (resource.asyncAttributesPending === true && resource.waitForAsyncAttributes !== undefined) {
      diag.warn('WorkerSpanProcessor: resource attributes still pending; exported as known now');
    }
    // A worker that is not running yet receives every known resource when it starts.
    this.#worker?.postMessage(resourceMessage(resource, index));
    return index;
  }

  #send(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#pending.length === 0) return;
    const spans = this.#pending;
    this.#pending = [];
    this.#post({ type: 'spans', spans });
  }

  #post(message: ToWorker): void {
    try {
      this.#start().postMessage(message);
    } catch (error) {
      // A worker that cannot start (its file missing from a copy of the package, say) loses
      // this batch; ending a span must never throw into the application.
      globalErrorHandler(error as Error);
    }
  }

  #start(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = new Worker(workerUrl, {
      workerData: this.#settings,
      // No --import of the register entry in the worker, whether from the command line or
      // NODE_OPTIONS: it would start a second SDK there.
      execArgv: [],
      env: { ...process.env, OTEL_SDK_DISABLED: 'true' },
      name: 'otel-span-export',
    });
    worker.on('message', (message: FromWorker) => this.#onMessage(message));
    worker.on('error', (error: Error) => globalErrorHandler(error));
    worker.on('exit', () => {
      if (this.#worker !== worker) return;
      // A worker that died lost the batches it held; the next batch starts a new one.
      this.#worker = undefined;
      for (const release of [...this.#waiting.values()]) release();
    });
    for (const [resource, index] of this.#resources) worker.postMessage(resourceMessage(resource, index));
    // After the listeners: a 'message' listener refs the worker's port again. Unreferenced, the
    // worker does not keep the process alive, except while a flush waits for it (see #ask).
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  #onMessage(message: FromWorker): void {
    switch (message.type) {
      case 'done':
        this.#waiting.get(message.id)?.();
        return;
      case 'failed':
        globalErrorHandler(new Error(`span export failed (${message.spans} spans): ${message.message}`));
        return;
      case 'dropped':
        diag.warn(`WorkerSpanProcessor: dropped ${message.spans} spans because maxQueueSize was reached`);
        return;
    }
  }

  /**
   * Asks the worker to flush (or shut down) and waits for its answer, at most `#timeout` ms.
   * Meanwhile the worker is referenced, so that a process with nothing else left to do (a
   * script ending with `await shutdownTracing()`) stays alive until its spans are sent.
   */
  #ask(type: 'flush' | 'shutdown'): Promise<void> {
    const id = this.#nextId++;
    let worker: Worker;
    try {
      worker = this.#start();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    worker.ref();
    const settle = (): void => {
      this.#waiting.delete(id);
      if (this.#waiting.size === 0) worker.unref();
    };
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        settle();
        reject(new Error('Timeout'));
      }, this.#timeout);
      timer.unref();
      this.#waiting.set(id, () => {
        clearTimeout(timer);
        settle();
        resolve();
      });
      worker.postMessage({ type, id } satisfies ToWorker);
    });
  }
}

function resourceMessage(resource: Resource, index: number): ToWorker {
  return { type: 'resource', index, attributes: resource.attributes, schemaUrl: resource.schemaUrl };
}
