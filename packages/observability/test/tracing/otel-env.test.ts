// The standard OTEL_* variables, each set in a child process that serves one traced request
// and calls an upstream: the package's register entry must do what NodeSDK (with the same
// instrumentations) does. Every row runs against both; the one intended difference (the OTLP
// protocol when none is set) is stated in the row.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const entries = {
  package: fileURLToPath(new URL('../../src/tracing/register.ts', import.meta.url)),
  NodeSDK: fileURLToPath(new URL('./fixtures/node-sdk-entry.ts', import.meta.url)),
};
const app = fileURLToPath(new URL('./fixtures/env-app.ts', import.meta.url));
const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const traceparent = `00-${traceId}-00f067aa0ba902b7-01`;

/** A request the test server received: an OTLP export (any path but /upstream) or the upstream call. */
interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

let received: Received[] = [];
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
    res.setHeader('content-type', req.headers['content-type'] ?? 'application/json');
    res.end(req.headers['content-type'] === 'application/json' ? '{}' : '');
  });
});
let base = '';

beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
});
beforeEach(() => {
  received = [];
});

/** Runs the fixture under `sdk` with `env` (plus the endpoints), returns its output. */
async function runApp(sdk: keyof typeof entries, env: Record<string, string>): Promise<string> {
  const { stdout, stderr } = await run(process.execPath, ['--import', entries[sdk], app], {
    env: {
      PATH: process.env['PATH'] ?? '',
      UPSTREAM_URL: `${base}/upstream`,
      TEST_TRACEPARENT: traceparent,
      OTEL_EXPORTER_OTLP_ENDPOINT: base,
      // NodeSDK's metrics and logs pipelines (the package has none) would export too.
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      ...env,
    },
    timeout: 30_000,
  });
  return stdout + stderr;
}

const exports = (): Received[] => received.filter((r) => r.path !== '/upstream');
const upstream = (): Received => received.find((r) => r.path === '/upstream')!;

/** The resource attributes of every JSON export, flattened. */
function resourceAttributes(): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const { body } of exports()) {
    const parsed = JSON.parse(body.toString('utf8')) as {
      resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] } }[];
    };
    for (const { resource } of parsed.resourceSpans) {
      for (const { key, value } of resource.attributes) attributes[key] = value.stringValue;
    }
  }
  return attributes;
}

describe.each(['package', 'NodeSDK'] as const)('OTEL_* variables with %s', (sdk) => {
  it('OTEL_SDK_DISABLED=true: nothing exported, no traceparent sent on', async () => {
    await runApp(sdk, { OTEL_SDK_DISABLED: 'true' });
    expect(exports()).toEqual([]);
    expect(upstream().headers['traceparent']).toBeUndefined();
  });

  it('OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES: the resource of every span', async () => {
    await runApp(sdk, {
      OTEL_SERVICE_NAME: 'svc-a',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test,team=payments',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    });
    expect(resourceAttributes()).toMatchObject({
      'service.name': 'svc-a',
      'deployment.environment.name': 'test',
      team: 'payments',
    });
  });

  it('OTEL_TRACES_EXPORTER unset: OTLP to OTEL_EXPORTER_OTLP_ENDPOINT/v1/traces, the parent kept', async () => {
    await runApp(sdk, {});
    expect(exports().map((r) => r.path)).toEqual(['/v1/traces']);
    expect(upstream().headers['traceparent']).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
  });

  it('OTEL_TRACES_EXPORTER=none: nothing exported, the context still propagated', async () => {
    await runApp(sdk, { OTEL_TRACES_EXPORTER: 'none' });
    expect(exports()).toEqual([]);
    expect(upstream().headers['traceparent']).toContain(traceId);
  });

  it('OTEL_TRACES_EXPORTER=console: spans printed, nothing sent', async () => {
    const output = await runApp(sdk, { OTEL_TRACES_EXPORTER: 'console' });
    expect(output).toContain(`traceId: '${traceId}'`);
    expect(exports()).toEqual([]);
  });

  it('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: the full URL, used as given', async () => {
    await runApp(sdk, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${base}/custom/traces` });
    expect(exports().map((r) => r.path)).toEqual(['/custom/traces']);
  });

  it('OTEL_EXPORTER_OTLP_HEADERS: sent with every export', async () => {
    await runApp(sdk, { OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=k1,x-tenant=t2' });
    expect(exports()[0]?.headers).toMatchObject({ 'x-api-key': 'k1', 'x-tenant': 't2' });
  });

  it.each([
    ['http/json', 'application/json'],
    ['http/protobuf', 'application/x-protobuf'],
    // The one intended difference: the package keeps sending JSON when nothing is set.
    ['', sdk === 'package' ? 'application/json' : 'application/x-protobuf'],
  ])('OTEL_EXPORTER_OTLP_PROTOCOL=%s: %s bodies', async (protocol, contentType) => {
    await runApp(sdk, { OTEL_EXPORTER_OTLP_PROTOCOL: protocol });
    expect(exports().map((r) => r.headers['content-type'])).toEqual([contentType]);
  });

  it.each([
    [{ OTEL_TRACES_SAMPLER: 'always_off' }],
    [{ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }],
  ])('sampler %j: no span exported, the upstream told not sampled', async (env) => {
    await runApp(sdk, env);
    expect(exports()).toEqual([]);
    expect(upstream().headers['traceparent']).toMatch(/-00$/);
  });

  it('OTEL_TRACES_SAMPLER=parentbased_always_off follows the sampled parent', async () => {
    await runApp(sdk, { OTEL_TRACES_SAMPLER: 'parentbased_always_off' });
    expect(exports()).toHaveLength(1);
    expect(upstream().headers['traceparent']).toMatch(/-01$/);
  });

  it.each([
    ['b3', ['b3'], ['traceparent', 'x-b3-traceid']],
    ['b3multi', ['x-b3-traceid', 'x-b3-spanid'], ['traceparent', 'b3']],
    ['tracecontext', ['traceparent'], ['b3', 'x-b3-traceid']],
    ['none', [], ['traceparent', 'b3', 'x-b3-traceid']],
  ])('OTEL_PROPAGATORS=%s: sends %j, not %j', async (propagators, present, absent) => {
    await runApp(sdk, { OTEL_PROPAGATORS: propagators });
    const headers = upstream().headers;
    for (const name of present) expect(headers[name], name).toBeDefined();
    for (const name of absent) expect(headers[name], name).toBeUndefined();
  });

  it('OTEL_BSP_MAX_EXPORT_BATCH_SIZE=1: one export per span', async () => {
    await runApp(sdk, { OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '1', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
    // The server span and the fetch() client span.
    expect(exports()).toHaveLength(2);
  });

  it('OTEL_LOG_LEVEL=debug: the SDK logs through the diag console logger', async () => {
    expect(await runApp(sdk, {})).not.toContain('Registered a global for trace');
    expect(await runApp(sdk, { OTEL_LOG_LEVEL: 'debug' })).toContain('Registered a global for trace');
  });
});
