import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { startFakeServices, type FakeServices } from './fixtures/fake-services.ts';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

let services: FakeServices | undefined;
afterEach(async () => {
  await services?.close();
  services = undefined;
});

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as `npm run load` would; `whileRunning` may signal it. */
function runCli(args: string[], whileRunning?: (child: ReturnType<typeof spawn>) => void): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    for (const name of ['USER_SERVICE_URL', 'ORDER_SERVICE_URL', 'PAYMENT_SERVICE_URL']) delete env[name];
    const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    whileRunning?.(child);
  });
}

const targetArgs = (url: string): string[] => ['--user-url', url, '--order-url', url, '--payment-url', url];

it('prints the result as JSON on stdout and progress lines on stderr', async () => {
  services = await startFakeServices();
  const exit = await runCli([
    '--rate',
    '50',
    '--duration',
    '1s',
    '--seed',
    '12',
    '--json',
    '--metrics-port',
    'off',
    ...targetArgs(services.url),
  ]);

  expect(exit.code).toBe(0);
  const result = JSON.parse(exit.stdout) as {
    seed: number;
    scheduled: number;
    completed: number;
    latency: { p99Ms: number };
  };
  expect(result).toMatchObject({ seed: 12, scheduled: 50, completed: 50 });
  expect(result.latency.p99Ms).toBeGreaterThan(0);
  expect(exit.stderr).toMatch(/\[\s+\d+s\] target \d+\/s sent \d+\/s done \d+\/s in-flight \d+ \| p50 /);
}, 30_000);

it('prints the summary and exits 130 on SIGINT', async () => {
  services = await startFakeServices();
  const exit = await runCli(
    ['--rate', '20', '--duration', '10m', '--metrics-port', 'off', ...targetArgs(services.url)],
    (child) => {
      const poll = setInterval(() => {
        if (services!.seen.length >= 5) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 20);
    },
  );

  expect(exit.code).toBe(130);
  expect(exit.stdout).toContain('(INTERRUPTED)');
  expect(exit.stdout).toContain('latency from intended send time (coordinated-omission corrected):');
  expect(services.seen.length).toBeLessThan(200);
}, 30_000);

it('exits 2 with the reason on a bad flag', async () => {
  const exit = await runCli(['--duration', '25h']);
  expect(exit.code).toBe(2);
  expect(exit.stderr).toContain('durationMs must be in (0, 86400000], got 90000000');
}, 30_000);
