// The span export worker: receives finished spans from the application thread in batches,
// rebuilds what the OTLP exporter reads of them and exports them over OTLP/HTTP, so that the
// JSON serialization and the outgoing HTTP never run on the thread that serves requests.
// Started by WorkerSpanProcessor; the OTLP exporter reads its settings from the
// OTEL_EXPORTER_OTLP_* variables of the environment the worker was given (a copy of the
// application's).
import { parentPort, workerData } from 'node:worker_threads';
import { ExportResultCode, TraceState } from '@opentelemetry/core';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { FromWorker, ToWorker, WorkerSettings } from './protocol.ts';
import type { DecodeTables } from './span-wire.ts';
import { decodeSpan } from './span-wire.ts';

const port = parentPort;
if (port === null) throw new Error('span-export-worker.ts runs only as a worker thread');
const settings = workerData as WorkerSettings;
const send = (message: FromWorker): void => port.postMessage(message);

const tables: DecodeTables<Resource> & { resources: Map<number, Resource> } = {
  resources: new Map(),
  traceState: (serialized) => new TraceState(serialized),
  scopes: new Map<string, InstrumentationScope>(),
};
const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
const exporter = new OTLPTraceExporter();
const inFlight = new Set<Promise<void>>();
let queued = 0;

function exportBatch(message: Extract<ToWorker, { type: 'spans' }>): void {
  const count = message.spans.length;
  if (queued + count > settings.maxQueueSize) {
    send({ type: 'dropped', spans: count });
    return;
  }
  queued += count;
  const spans = message.spans.map((wire) => decodeSpan(wire, tables));
  const done = new Promise<void>((resolve) => {
    exporter.export(spans, (result) => {
      queued -= count;
      if ((result.code as number) !== (ExportResultCode.SUCCESS as number)) {
        send({ type: 'failed', spans: count, message: result.error?.message ?? 'export failed' });
      }
      resolve();
    });
  });
  inFlight.add(done);
  void done.then(() => inFlight.delete(done));
}

async function flush(): Promise<void> {
  while (inFlight.size > 0) await Promise.all(inFlight);
  await exporter.forceFlush();
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'resource':
      tables.resources.set(
        message.index,
        resourceFromAttributes(message.attributes, { schemaUrl: message.schemaUrl }),
      );
      return;
    case 'spans':
      exportBatch(message);
      return;
    case 'flush':
      void flush().finally(() => send({ type: 'done', id: message.id }));
      return;
    case 'shutdown':
      void flush()
        .then(() => exporter.shutdown())
        .finally(() => send({ type: 'done', id: message.id }));
      return;
  }
});
