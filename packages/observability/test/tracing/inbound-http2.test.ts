import type { AddressInfo } from 'node:net';
import http2 from 'node:http2';
import type { Http2Server } from 'node:http2';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Tracing } from '../../src/tracing/index.ts';
import { startTracing } from '../../src/tracing/index.ts';

const seen = new Map<string, string | undefined>();
const parentTraceId = '0af7651916cd43dd8448eb211c80319c';

/** One HTTP/2 request over a fresh session; resolves with the status. */
async function request(
  url: string,
  headers: http2.OutgoingHttpHeaders,
  body?: { text: string; delayMs: number },
): Promise<number> {
  const session = http2.connect(url);
  try {
    return await new Promise<number>((resolve, reject) => {
      const stream = session.request(headers);
      let status = 0;
      stream.on('response', (response) => {
        status = Number(response[':status']);
      });
      stream.on('error', reject);
      stream.on('end', () => resolve(status));
      stream.resume();
      if (body === undefined) stream.end();
      else setTimeout(() => stream.end(body.text), body.delayMs);
    });
  } finally {
    session.close();
  }
}

describe('the inbound HTTP/2 server span', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let server: Http2Server;
  let base: string;

  beforeAll(async () => {
    tracing = await startTracing({
      serviceName: 'inbound-h2',
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
      instrumentationOptions: { enabled: ['http'] },
    });
    server = http2.createServer((req, res) => {
      const spanId = () => trace.getActiveSpan()?.spanContext().spanId;
      if (req.url === '/broken') {
        res.writeHead(503).end();
        return;
      }
      seen.set(`handler ${req.url}`, spanId());
      req.on('data', () => undefined);
      req.on('end', () => {
        seen.set(`end ${req.url}`, spanId());
        res.writeHead(req.method === 'POST' ? 201 : 200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await tracing.shutdown();
  });

  beforeEach(() => {
    exporter.reset();
    seen.clear();
  });

  const serverSpans = async (): Promise<ReadableSpan[]> => {
    await tracing.forceFlush();
    return exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER);
  };

  it('continues the caller trace and is active in the handler', async () => {
    const status = await request(base, {
      ':path': '/things?id=1',
      traceparent: `00-${parentTraceId}-b7ad6b7169203331-01`,
      'user-agent': 'h2-test',
    });
    expect(status).toBe(200);
    const [span] = await serverSpans();
    expect(span?.name).toBe('GET');
    expect(span?.spanContext().traceId).toBe(parentTraceId);
    expect(span?.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(span?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.path': '/things',
      'url.scheme': 'http',
      'network.protocol.version': '2',
      'client.address': '127.0.0.1',
      'user_agent.original': 'h2-test',
      'http.response.status_code': 200,
    });
    expect(seen.get('handler /things?id=1')).toBe(span!.spanContext().spanId);
    expect(seen.get('end /things?id=1')).toBe(span!.spanContext().spanId);
  });

  it('keeps the span active for a body that arrives in a later frame', async () => {
    const status = await request(base, { ':path': '/upload', ':method': 'POST' }, { text: 'x', delayMs: 50 });
    expect(status).toBe(201);
    const [span] = await serverSpans();
    expect(span?.name).toBe('POST');
    expect(seen.get('end /upload')).toBe(span!.spanContext().spanId);
  });

  it('marks a 5xx answer as an error', async () => {
    expect(await request(base, { ':path': '/broken' })).toBe(503);
    const [span] = await serverSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes['error.type']).toBe('503');
  });

  it('creates no span for an ignored probe path', async () => {
    expect(await request(base, { ':path': '/health' })).toBe(200);
    expect(await serverSpans()).toEqual([]);
    expect(seen.get('handler /health')).toBeUndefined();
  });
});
