import type { Attributes } from '@opentelemetry/api';
import type { WireSpan } from './span-wire.ts';

/** Messages from the application thread to the span export worker. */
export type ToWorker =
  /** A resource, sent once before the first span that names its index. */
  | { type: 'resource'; index: number; attributes: Attributes; schemaUrl: string | undefined }
  /** One export batch (at most `maxExportBatchSize` spans). */
  | { type: 'spans'; spans: WireSpan[] }
  /** Answer `done` with this id once every batch received so far has been exported. */
  | { type: 'flush'; id: number }
  /** Flush, shut the exporter down, then answer `done` with this id. */
  | { type: 'shutdown'; id: number };

/** Messages from the span export worker to the application thread. */
export type FromWorker =
  | { type: 'done'; id: number }
  /** A batch failed to export (the OTLP exporter already retried what it retries). */
  | { type: 'failed'; spans: number; message: string }
  /** Batches refused because `maxQueueSize` spans were already waiting or in flight. */
  | { type: 'dropped'; spans: number };

/** What the worker is started with (`workerData`). */
export interface WorkerSettings {
  /** Spans waiting or in flight in the worker beyond which new batches are dropped. */
  maxQueueSize: number;
}
