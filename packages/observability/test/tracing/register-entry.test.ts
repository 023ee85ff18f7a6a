import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OtlpReceiver } from './otlp-receiver.ts';
import { startOtlpReceiver } from './otlp-receiver.ts';

const run = promisify(execFile);
const registerEntry = fileURLToPath(new URL('../../src/tracing/register.ts', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/traced-app.ts', import.meta.url));

interface FixtureReport {
  sdkRunning: boolean;
  innerTraceId: string | null;
  apiGlobalRegistered: boolean;
}

/** Runs the fixture app in a child process, `node --import <register entry> traced-app.ts`. */
async function runFixture(env: Record<string, string>): Promise<FixtureReport> {
  const { stdout } = await run(process.execPath, ['--import', registerEntry, fixture], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    timeout: 30_000,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as FixtureReport;
}

describe('the --import register entry', () => {
  let receiver: OtlpReceiver;
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('exports the child process spans over OTLP/HTTP with its service name', async () => {
    const report = await runFixture({
      OTEL_SERVICE_NAME: 'fixture-service',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    });
    expect(report.sdkRunning).toBe(true);
    expect(receiver.spans.length).toBeGreaterThanOrEqual(4);
    expect(new Set(receiver.spans.map((s) => s.serviceName))).toEqual(new Set(['fixture-service']));
    const inner = receiver.spans.find((s) => s.name === 'GET /inner/:id');
    expect(inner?.traceId).toBe(report.innerTraceId);
    const client = receiver.spans.find((s) => s.spanId === inner?.parentSpanId);
    expect(client?.kind).toBe(3); // CLIENT: the fetch() from /outer
  });

  it('loads no SDK and sends nothing when OTEL_SDK_DISABLED=true', async () => {
    const report = await runFixture({
      OTEL_SDK_DISABLED: 'true',
      OTEL_SERVICE_NAME: 'fixture-service',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    });
    expect(report).toEqual({ sdkRunning: false, innerTraceId: null, apiGlobalRegistered: false });
    expect(receiver.requests).toBe(0);
  });

  it('honours OTEL_TRACES_SAMPLER=parentbased_traceidratio with a ratio of 0', async () => {
    const report = await runFixture({
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    });
    expect(report.sdkRunning).toBe(true);
    expect(receiver.spans).toEqual([]);
  });
});
