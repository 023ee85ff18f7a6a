/**
 * A minimal OTLP/HTTP JSON trace receiver on 127.0.0.1, standing in for Jaeger: it accepts
 * `POST /v1/traces` and remembers the trace ids it received, so a test can check that an
 * exemplar's `trace_id` links to a trace that was really exported.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running receiver. */
export interface OtlpSink {
  /** `http://127.0.0.1:<port>`: the value of `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  readonly url: string;
  /** Trace ids (lower-case hex) of every span received so far. */
  readonly traceIds: ReadonlySet<string>;
  /** Spans received so far. */
  spans(): number;
  close(): Promise<void>;
}

interface ExportRequest {
  resourceSpans?: { scopeSpans?: { spans?: { traceId?: string }[] }[] }[];
}

/** Starts the receiver on a free port. Bodies that are not OTLP JSON are answered 400. */
export async function startOtlpSink(): Promise<OtlpSink> {
  const traceIds = new Set<string>();
  let spans = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/traces') {
        response.writeHead(404).end();
        return;
      }
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ExportRequest;
        for (const resource of body.resourceSpans ?? []) {
          for (const scope of resource.scopeSpans ?? []) {
            for (const span of scope.spans ?? []) {
              spans += 1;
              if (span.traceId !== undefined) traceIds.add(span.traceId.toLowerCase());
            }
          }
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } catch {
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    traceIds,
    spans: () => spans,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
