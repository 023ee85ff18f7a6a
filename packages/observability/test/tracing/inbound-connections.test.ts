// The inbound server span over the connection shapes real clients use: HTTPS with client
// certificates (mutual TLS), keep-alive, a client that goes away, pipelined requests. Each
// handler answers the span id it sees active, so the tests check both the span and its context.
import { once } from 'node:events';
import { Agent as HttpAgent, createServer as createHttpServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Agent, createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { waitFor } from '@shipshape/test-harness';
import { createTestCa } from '@shipshape/test-harness/pki';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Tracing } from '../../src/tracing/index.ts';
import { startTracing } from '../../src/tracing/index.ts';

const traceIdA = '0af7651916cd43dd8448eb211c80319c';
const traceIdB = '4bf92f3577b34da6a3ce929d0e0e4736';
const parentOf = (traceId: string): string => `00-${traceId}-b7ad6b7169203331-01`;

/** Answers the active span id after `?delay=` ms; records the requests that closed unanswered. */
function handler(req: IncomingMessage, res: ServerResponse): void {
  const spanId = trace.getActiveSpan()?.spanContext().spanId ?? 'none';
  const delayMs = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('delay') ?? 0);
  setTimeout(() => {
    if (!res.destroyed) res.end(spanId);
  }, delayMs);
}

/** Runs a client call without a client span of its own, so that the test's `traceparent` goes out as set. */
function untraced<T>(call: () => Promise<T>): Promise<T> {
  return context.with(suppressTracing(context.active()), call);
}

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

describe('the inbound server span on real connections', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let plain: Server;
  let plainPort: number;

  beforeAll(async () => {
    tracing = await startTracing({
      serviceName: 'connections',
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
      instrumentationOptions: { enabled: ['http'] },
    });
    plain = createHttpServer({ keepAlive: true }, handler);
    plainPort = await listen(plain);
  });

  afterAll(async () => {
    plain.closeAllConnections();
    plain.close();
    await tracing.shutdown();
  });

  beforeEach(() => {
    exporter.reset();
  });

  const serverSpans = (): ReadableSpan[] =>
    exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER);
  /** The server spans once `count` have ended: a span ends on the response's `finish`, which
   * may come after the client has read the whole answer. */
  const endedServerSpans = async (count: number): Promise<ReadableSpan[]> => {
    await waitFor(`${count} server spans`, () => serverSpans().length >= count);
    return serverSpans();
  };

  it('traces an HTTPS request with a client certificate (mutual TLS) as https', async () => {
    const ca = await createTestCa();
    const serverCert = await ca.issue('localhost');
    const clientCert = await ca.issue('order');
    const secure = createHttpsServer(
      {
        key: serverCert.key,
        cert: serverCert.cert,
        ca: ca.cert,
        requestCert: true,
        rejectUnauthorized: true,
      },
      handler,
    );
    const port = await listen(secure);
    try {
      const body = await untraced(
        () =>
          new Promise<string>((resolve, reject) => {
            const req = httpsRequest(
              {
                host: '127.0.0.1',
                port,
                path: '/secure',
                servername: 'localhost',
                ca: ca.cert,
                key: clientCert.key,
                cert: clientCert.cert,
                headers: { traceparent: parentOf(traceIdA) },
                agent: new Agent({ keepAlive: false }),
              },
              (res) => {
                let text = '';
                res.on('data', (chunk: Buffer) => (text += chunk.toString()));
                res.on('end', () => resolve(text));
              },
            );
            req.on('error', reject);
            req.end();
          }),
      );
      const [span] = await endedServerSpans(1);
      expect(span?.spanContext().traceId).toBe(traceIdA);
      expect(span?.attributes['url.scheme']).toBe('https');
      expect(span?.attributes['server.port']).toBe(port);
      expect(body).toBe(span?.spanContext().spanId);
    } finally {
      secure.closeAllConnections();
      secure.close();
    }
  });

  it('gives each request on one keep-alive connection its own span and context', async () => {
    const agent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
    const get = (traceId: string): Promise<{ body: string; port: number | undefined }> =>
      untraced(
        () =>
          new Promise((resolve, reject) => {
            const req = httpRequest(
              {
                host: '127.0.0.1',
                port: plainPort,
                path: '/k',
                agent,
                headers: { traceparent: parentOf(traceId) },
              },
              (res) => {
                const port = res.socket.localPort;
                let text = '';
                res.on('data', (chunk: Buffer) => (text += chunk.toString()));
                res.on('end', () => resolve({ body: text, port }));
              },
            );
            req.on('error', reject);
            req.end();
          }),
      );
    const first = await get(traceIdA);
    const second = await get(traceIdB);
    agent.destroy();
    expect(second.port).toBe(first.port); // the same connection
    const spans = await endedServerSpans(2);
    expect(spans.map((span) => span.spanContext().traceId)).toEqual([traceIdA, traceIdB]);
    expect([first.body, second.body]).toEqual(spans.map((span) => span.spanContext().spanId));
  });

  it('ends the span of a request whose client went away, marked aborted', async () => {
    const socket = connect(plainPort, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(`GET /gone?delay=200 HTTP/1.1\r\nhost: x\r\ntraceparent: ${parentOf(traceIdA)}\r\n\r\n`);
    // Away while the handler still waits (it answers after 200 ms).
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    const [span] = await endedServerSpans(1);
    expect(span?.spanContext().traceId).toBe(traceIdA);
    expect(span?.attributes['error.type']).toBe('aborted');
    expect(span?.status.code).not.toBe(SpanStatusCode.ERROR);
  });

  it('gives pipelined requests (sent in one packet) one span each, in their own context', async () => {
    const socket = connect(plainPort, '127.0.0.1');
    await once(socket, 'connect');
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    // The first handler answers later than the second: Node still writes the responses in order.
    socket.write(
      `GET /p1?delay=60 HTTP/1.1\r\nhost: x\r\ntraceparent: ${parentOf(traceIdA)}\r\n\r\n` +
        `GET /p2 HTTP/1.1\r\nhost: x\r\ntraceparent: ${parentOf(traceIdB)}\r\nconnection: close\r\n\r\n`,
    );
    await once(socket, 'end');
    const pathOf = (span: ReadableSpan): string => span.attributes['url.path'] as string;
    const spans = (await endedServerSpans(2)).sort((a, b) => pathOf(a).localeCompare(pathOf(b)));
    expect(spans.map((span) => [span.attributes['url.path'], span.spanContext().traceId])).toEqual([
      ['/p1', traceIdA],
      ['/p2', traceIdB],
    ]);
    const bodies = [...answer.matchAll(/\r\n\r\n(?:[0-9a-f]+\r\n)?([0-9a-f]{16})/g)].map((match) => match[1]);
    expect(bodies).toEqual(spans.map((span) => span.spanContext().spanId));
  });
});
