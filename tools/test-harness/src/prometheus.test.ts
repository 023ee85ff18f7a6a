import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrometheus, type PrometheusServer } from './prometheus.ts';
import { skipWithoutTool } from './tools.ts';
import { waitFor } from './wait.ts';

// Needs the prometheus binary: skipped with a reason on a machine without it, never in CI.
const noPrometheus = skipWithoutTool('prometheus', 'apt-get install prometheus');

/** A target answering one gauge, so the test can see that the configuration was used. */
const target: Server = createServer((_request, response) => {
  response.setHeader('content-type', 'text/plain; version=0.0.4');
  response.end('# TYPE harness_probe gauge\nharness_probe 42\n');
});

beforeAll(async () => {
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await new Promise((resolve) => target.close(resolve));
});

const config = (): string =>
  [
    'global:',
    '  scrape_interval: 1s',
    'scrape_configs:',
    '  - job_name: probe',
    '    static_configs:',
    `      - targets: ['127.0.0.1:${(target.address() as AddressInfo).port}']`,
    '',
  ].join('\n');

/** The tsdb directory Prometheus reports, read from its runtime info. */
async function storagePath(server: PrometheusServer): Promise<string> {
  const info = (await (await fetch(`${server.url}/api/v1/status/flags`)).json()) as {
    data: Record<string, string>;
  };
  return info.data['storage.tsdb.path']!;
}

describe.skipIf(noPrometheus)('startPrometheus', () => {
  it('answers ready on 127.0.0.1, scrapes the configured target and cleans up on close', async () => {
    const server = await startPrometheus({ configYaml: config() });
    let closed = false;
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${server.url}/-/ready`)).status).toBe(200);
      const dataDir = await storagePath(server);
      expect(existsSync(dataDir)).toBe(true);
      await waitFor(
        'the probe gauge in Prometheus',
        async () => {
          const body = (await (await fetch(`${server.url}/api/v1/query?query=harness_probe`)).json()) as {
            data: { result: { value: [number, string] }[] };
          };
          return body.data.result[0]?.value[1] === '42';
        },
        { timeoutMs: 30_000, intervalMs: 250 },
      );
      await server.close();
      closed = true;
      expect(existsSync(dataDir)).toBe(false);
      expect(
        await fetch(`${server.url}/-/ready`).then(
          () => 'answered',
          () => 'refused',
        ),
      ).toBe('refused');
      await server.close();
    } finally {
      if (!closed) await server.close();
    }
  }, 60_000);

  it('passes extra flags through', async () => {
    const server = await startPrometheus({
      configYaml: config(),
      args: ['--enable-feature=exemplar-storage'],
    });
    try {
      const flags = (await (await fetch(`${server.url}/api/v1/status/flags`)).json()) as {
        data: Record<string, string>;
      };
      expect(flags.data['enable-feature']).toBe('exemplar-storage');
    } finally {
      await server.close();
    }
  }, 60_000);

  it('rejects with the log and deletes its directory when the configuration is invalid', async () => {
    const failure: unknown = await startPrometheus({ configYaml: 'scrape_configs: [ {{ not yaml' }).catch(
      (error: unknown) => error,
    );
    expect(String(failure)).toMatch(/prometheus exited with \d+[\s\S]*Error loading config/);
    const configFile = /--config\.file=(\S+?prometheus\.yml)/.exec(String(failure))?.[1];
    expect(configFile).toBeDefined();
    expect(existsSync(dirname(configFile!))).toBe(false);
  }, 60_000);
});

describe('startPrometheus options', () => {
  it('needs exactly one of configYaml and configFile', async () => {
    await expect(startPrometheus({} as never)).rejects.toThrow(TypeError);
    await expect(startPrometheus({ configYaml: 'a', configFile: 'b' } as never)).rejects.toThrow(
      'exactly one of configYaml and configFile',
    );
  });

  it('rejects a non-positive readyTimeoutMs with a RangeError naming it', async () => {
    await expect(startPrometheus({ configYaml: '', readyTimeoutMs: 0 })).rejects.toThrow(
      'readyTimeoutMs must be > 0, got 0',
    );
  });
});
