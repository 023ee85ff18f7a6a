import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';
import { setGlobalErrorHandler, TraceState, loggingErrorHandler } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOffSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WorkerSpanProcessor } from '../../src/tracing/worker-export/worker-span-processor.ts';

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  boolValue?: boolean;
}
interface OtlpSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceState?: string;
  flags: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status: { code: number; message?: string };
  attributes: { key: string; value: OtlpValue }[];
  events: { name: string; timeUnixNano: string; attributes: { key: string; value: OtlpValue }[] }[];
  links: { traceId: string; spanId: string; traceState?: string; flags: number }[];
}
interface OtlpBody {
  resourceSpans: {
    resource: { attributes: { key: string; value: OtlpValue }[] };
    scopeSpans: { scope: { name: string; version?: string }; spans: OtlpSpan[] }[];
  }[];
}

/** A local OTLP/HTTP receiver answering `status`, keeping every body. */
function receiver(): { server: Server; bodies: OtlpBody[]; status: { code: number } } {
  const bodies: OtlpBody[] = [];
  const status = { code: 200 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (status.code === 200) bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpBody);
      res.writeHead(status.code, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return { server, bodies, status };
}

const spansOf = (bodies: OtlpBody[]): OtlpSpan[] =>
  bodies.flatMap((body) => body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));

describe('WorkerSpanProcessor', () => {
  const sink = receiver();
  const providers: TracerProvider[] = [];
  const errors: Error[] = [];

  beforeAll(async () => {
    await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
    // The worker's OTLP exporter reads the environment it is given: a copy of this one.
    process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] =
      `http://127.0.0.1:${(sink.server.address() as AddressInfo).port}`;
    setGlobalErrorHandler((error) => errors.push(error as Error));
  });
  afterEach(async () => {
    await Promise.all(providers.splice(0).map((provider) => provider.shutdown()));
    sink.bodies.length = 0;
    sink.status.code = 200;
    errors.length = 0;
  });
  afterAll(async () => {
    setGlobalErrorHandler(loggingErrorHandler());
    delete process.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
    await new Promise<void>((resolve) => sink.server.close(() => resolve()));
  });

  function provider(processor: WorkerSpanProcessor, sampled = true): TracerProvider {
    const created = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'worker-test', 'process.pid': 42 }),
      spanProcessors: [processor],
      ...(sampled ? {} : { sampler: new AlwaysOffSampler() }),
    });
    providers.push(created);
    return created;
  }

  it('exports every field of a span from the worker over OTLP/HTTP', async () => {
    const processor = new WorkerSpanProcessor();
    const tracer = provider(processor).getTracer('scope-a', '1.2.3');
    const remoteParent = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
      traceState: new TraceState('vendor=value'),
    });
    const span = tracer.startSpan(
      'GET /users/:id',
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': 'GET', 'server.port': 3001, ok: true },
        links: [
          {
            context: {
              traceId: '11111111111111111111111111111111',
              spanId: '2222222222222222',
              traceFlags: 1,
              traceState: new TraceState('a=b'),
            },
          },
        ],
      },
      remoteParent,
    );
    span.addEvent('retry', { attempt: 2 });
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
    span.end();
    await processor.forceFlush();

    const [exported] = spansOf(sink.bodies);
    expect(exported).toMatchObject({
      name: 'GET /users/:id',
      kind: 2,
      traceId: '0af7651916cd43dd8448eb211c80319c',
      parentSpanId: 'b7ad6b7169203331',
      traceState: 'vendor=value',
      // sampled, parent context is-remote known and remote
      flags: 1 | 256 | 512,
      status: { code: 2, message: 'boom' },
    });
    expect(exported!.spanId).toBe(span.spanContext().spanId);
    expect(exported!.attributes).toEqual([
      { key: 'http.request.method', value: { stringValue: 'GET' } },
      { key: 'server.port', value: { intValue: 3001 } },
      { key: 'ok', value: { boolValue: true } },
    ]);
    expect(exported!.events).toMatchObject([
      { name: 'retry', attributes: [{ key: 'attempt', value: { intValue: 2 } }] },
    ]);
    expect(exported!.links).toMatchObject([
      { traceId: '11111111111111111111111111111111', spanId: '2222222222222222', traceState: 'a=b' },
    ]);
    expect(BigInt(exported!.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(exported!.startTimeUnixNano));
    const [resourceSpans] = sink.bodies[0]!.resourceSpans;
    expect(resourceSpans!.resource.attributes).toEqual(
      expect.arrayContaining([
        { key: 'service.name', value: { stringValue: 'worker-test' } },
        { key: 'process.pid', value: { intValue: 42 } },
      ]),
    );
    expect(resourceSpans!.scopeSpans[0]!.scope).toEqual({ name: 'scope-a', version: '1.2.3' });
  });

  it('sends a batch when it is full and the rest after the delay', async () => {
    const processor = new WorkerSpanProcessor({ maxExportBatchSize: 2, scheduledDelayMillis: 100 });
    const tracer = provider(processor).getTracer('batches');
    for (let i = 0; i < 5; i++) tracer.startSpan(`span ${i}`).end();
    // Two full batches went at once; the fifth span waits for the delay, without a flush.
    await expect.poll(() => spansOf(sink.bodies).length, { timeout: 5000 }).toBe(5);
    expect(sink.bodies.map((body) => spansOf([body]).length)).toEqual([2, 2, 1]);
  });

  it('exports nothing for spans that are not sampled', async () => {
    const processor = new WorkerSpanProcessor({ scheduledDelayMillis: 10 });
    provider(processor, false).getTracer('off').startSpan('dropped').end();
    await processor.forceFlush();
    expect(sink.bodies).toEqual([]);
  });

  it('reports a failed export through the global error handler', async () => {
    sink.status.code = 400;
    const processor = new WorkerSpanProcessor();
    provider(processor).getTracer('failing').startSpan('lost').end();
    await processor.forceFlush();
    await expect.poll(() => errors.length).toBeGreaterThan(0);
    expect(errors[0]!.message).toMatch(/span export failed \(1 spans\)/);
  });

  it('flushes on shutdown and ignores spans that end afterwards', async () => {
    const processor = new WorkerSpanProcessor({ scheduledDelayMillis: 60_000 });
    const tracer = provider(processor).getTracer('shutdown');
    tracer.startSpan('before').end();
    await processor.shutdown();
    expect(spansOf(sink.bodies).map((span) => span.name)).toEqual(['before']);
    tracer.startSpan('after').end();
    await processor.forceFlush();
    expect(spansOf(sink.bodies).map((span) => span.name)).toEqual(['before']);
  });

  const runScript = async (shutdown: boolean): Promise<string> => {
    const script = fileURLToPath(new URL('./fixtures/short-script.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [script], {
      env: {
        PATH: process.env['PATH'] ?? '',
        OTEL_EXPORTER_OTLP_ENDPOINT: process.env['OTEL_EXPORTER_OTLP_ENDPOINT'],
        SHUTDOWN: shutdown ? '1' : '0',
        OTEL_BSP_SCHEDULE_DELAY: '50',
      },
      // A worker that kept the process alive would run into this.
      timeout: 15_000,
    });
    return stdout;
  };

  it('keeps a short script alive until its spans are exported at shutdown', async () => {
    expect(await runScript(true)).toBe('done\n');
    expect(spansOf(sink.bodies).map((span) => span.name)).toEqual(['the only span']);
  });

  it('does not keep a process alive after it sent a batch', async () => {
    expect(await runScript(false)).toBe('done\n');
  });
});
