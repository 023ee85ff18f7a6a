import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

/** One received span, flattened from OTLP/JSON with its resource's `service.name`. */
export interface ReceivedSpan {
  readonly service: string;
  readonly traceId: string;
  readonly spanId: string;
  /** Empty for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  /** OTLP `SpanKind`: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  readonly kind: number;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** Options of {@link startOtlpReceiver}. */
export interface OtlpReceiverOptions {
  /**
   * Parse and keep the spans (tests). `false` makes a sink (the flow benchmark): every request,
   * any path or content, is read fully and answered 200 `{}` unparsed, so that the benchmark
   * measures the services' cost of producing and exporting spans, not a collector's.
   * @default true
   */
  keepSpans?: boolean;
}

/** A local OTLP/HTTP trace receiver; see {@link startOtlpReceiver}. */
export interface OtlpReceiver {
  /** The value for `OTEL_EXPORTER_OTLP_ENDPOINT` (`http://127.0.0.1:<port>`). */
  readonly endpoint: string;
  /** Every span received so far (always empty with `keepSpans: false`). */
  spans(): ReceivedSpan[];
  /** Export requests (any content) and body bytes as sent (compressed or not) received so far. */
  stats(): { requests: number; bytes: number };
  close(): Promise<void>;
}

/** OTLP/JSON attribute value → plain value. */
type AnyValue = {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
};
type KeyValue = { key: string; value?: AnyValue };
type OtlpSpan = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  attributes?: KeyValue[];
};
type ExportRequest = {
  resourceSpans?: { resource?: { attributes?: KeyValue[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[];
};

function plain(value: AnyValue | undefined): unknown {
  if (!value) return undefined;
  return value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue;
}

function attributesOf(list: readonly KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, plain(kv.value)]));
}

async function readRaw(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function decoded(request: IncomingMessage, raw: Buffer): Promise<Buffer> {
  return request.headers['content-encoding'] === 'gzip' ? promisify(gunzip)(raw) : raw;
}

/**
 * Starts an OTLP/HTTP receiver on 127.0.0.1 that accepts `POST /v1/traces` with JSON bodies (what
 * `@opentelemetry/exporter-trace-otlp-http` sends) and keeps the spans. A protobuf body is
 * answered 415, so a test that got no spans says why in the services' logs. With
 * `keepSpans: false` it is a sink that accepts everything unparsed.
 */
export async function startOtlpReceiver(options: OtlpReceiverOptions = {}): Promise<OtlpReceiver> {
  const keepSpans = options.keepSpans ?? true;
  const received: ReceivedSpan[] = [];
  let requests = 0;
  let bytes = 0;
  const server: Server = createServer((request, response) => {
    void (async () => {
      requests += 1;
      const raw = await readRaw(request);
      bytes += raw.length;
      if (!keepSpans) {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      if (request.method !== 'POST' || request.url !== '/v1/traces') {
        response.writeHead(404).end();
        return;
      }
      if (!String(request.headers['content-type']).includes('json')) {
        response.writeHead(415).end();
        return;
      }
      const payload = JSON.parse((await decoded(request, raw)).toString('utf8')) as ExportRequest;
      for (const resourceSpans of payload.resourceSpans ?? []) {
        const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name']);
        for (const scope of resourceSpans.scopeSpans ?? [])
          for (const span of scope.spans ?? [])
            received.push({
              service,
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId ?? '',
              name: span.name,
              kind: span.kind ?? 0,
              attributes: attributesOf(span.attributes),
            });
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    })().catch(() => response.writeHead(400).end());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans: () => [...received],
    stats: () => ({ requests, bytes }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
