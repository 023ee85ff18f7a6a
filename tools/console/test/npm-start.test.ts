// `npm start` runs the console beside the services: it prints the console's URL (the admin
// token in the fragment), the console answers on 127.0.0.1 and follows the started replicas,
// and Ctrl-C stops it together with the services.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { freePort, waitFor } from '@shipshape/test-harness';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { describe, expect, it } from 'vitest';
import type { ConsoleInfo, Snapshot } from '../src/server/index.ts';

const startCli = fileURLToPath(new URL('../../stack/dist/cli/start.js', import.meta.url));

describe('npm start with the console', () => {
  const redis = useRedisServer();

  it(
    'prints the console URL, serves the page and the live topology, and stops on Ctrl-C',
    { timeout: 120_000 },
    async () => {
      const consolePort = await freePort();
      const env = {
        PATH: process.env['PATH'] ?? '',
        NO_COLOR: '1',
        REDIS_URL: redis.url,
        USER_PORT: String(await freePort()),
        ORDER_PORT: String(await freePort()),
        PAYMENT_PORT: String(await freePort()),
        CONSOLE_PORT: String(consolePort),
      };
      const child = spawn(process.execPath, [startCli], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = once(child, 'exit');
      try {
        await waitFor(
          'the console URL',
          () => output.includes('[console] experiment console:') || child.exitCode !== null,
          {
            timeoutMs: 90_000,
          },
        );
        const url = /\[console\] experiment console: (http:\/\/\S+)\/#token=(\S+)/.exec(output);
        expect(url?.[1]).toBe(`http://127.0.0.1:${consolePort}`);
        const token = /admin token of \/config and \/admin\/\* for this run: (\S+)/.exec(output)?.[1];
        expect(decodeURIComponent(url![2]!)).toBe(token);

        const page = await fetch(`${url![1]}/`);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('Shipshape experiment console');
        const info = (await (await fetch(`${url![1]}/api/info`)).json()) as ConsoleInfo;
        expect(info.controlsConfigured).toBe(true);
        expect(info.scenarios.map((s) => s.name)).toContain('payment-outage');

        // The first snapshot on the stream names the replicas npm start runs.
        const stream = await fetch(`${url![1]}/api/stream`);
        const reader = stream.body!.getReader();
        let text = '';
        while (!/event: snapshot\ndata: .*\n/.test(text))
          text += new TextDecoder().decode((await reader.read()).value);
        await reader.cancel();
        const snapshot = JSON.parse(/event: snapshot\ndata: (.*)\n/.exec(text)![1]!) as Snapshot;
        expect(snapshot.replicas.order.map((r) => [r.url, r.up])).toEqual([
          [`http://127.0.0.1:${env.ORDER_PORT}`, true],
        ]);
      } finally {
        child.kill('SIGINT');
      }
      const [code] = (await exited) as [number | null];
      expect(code).toBe(0);
      await expect(fetch(`http://127.0.0.1:${consolePort}/`)).rejects.toThrow();
    },
  );
});
