import { once } from 'node:events';
import { createServer } from 'node:http';

/** A local OTLP/HTTP endpoint that accepts every export and counts what it received. */
export interface OtlpSink {
  /** `OTEL_EXPORTER_OTLP_ENDPOINT` for the services. */
  readonly endpoint: string;
  /** Export requests and body bytes received so far. */
  stats(): { requests: number; bytes: number };
  close(): Promise<void>;
}

/**
 * Starts the sink on 127.0.0.1: `POST /v1/traces` (and any other path) is read fully and
 * answered 200 `{}`, like a collector that accepted the batch. It does not parse the spans: the
 * benchmark measures the services' cost of producing and exporting them, not a collector's.
 */
export async function startOtlpSink(): Promise<OtlpSink> {
  let requests = 0;
  let bytes = 0;
  const server = createServer((request, response) => {
    requests += 1;
    request.on('data', (chunk: Buffer) => (bytes += chunk.length));
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats: () => ({ requests, bytes }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
