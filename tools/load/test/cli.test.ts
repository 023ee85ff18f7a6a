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
/** 100 requests over one second against `url`, quietly: the runs whose status counts are checked. */
const hundredInOneSecond = (url: string): string[] => [
  ...['--rate', '100', '--duration', '1s', '--quiet', '--metrics-port', 'off'],
  ...targetArgs(url),
];

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

it('ends a mostly refused run with the RATE LIMITED note and exits 3 under --fail-on-status 429', async () => {
  // The first 10 requests pass (users and orders exist), then 4 of every 5 are refused.
  services = await startFakeServices({ refuse: (n) => n >= 10 && n % 5 !== 0 });
  const exit = await runCli([...hundredInOneSecond(services.url), '--fail-on-status', '429']);

  expect(exit.code).toBe(3);
  // Requests 10..99 minus the multiples of 5 among them (18).
  const refused = 72;
  expect(services.seen.length).toBe(100);
  expect(exit.stdout).toContain(`RATE LIMITED: ${refused} of 100 requests (${refused.toFixed(1)}%)`);
  expect(exit.stdout).toContain("refused with 429 by the services' inbound rate limiter (order ");
  expect(exit.stdout).toContain('raise rateLimit.limit (RATE_LIMIT__LIMIT=5000 npm start');
  expect(exit.stderr).toContain(
    `load: FAILED --fail-on-status 429, at most 0.0%: ${refused} of 100 responses (${refused.toFixed(1)}%) had a listed status (429:${refused})`,
  );
}, 30_000);

it('exits 0 under --fail-on-status when the listed statuses stay within --fail-threshold', async () => {
  services = await startFakeServices({ refuse: (n) => n === 30 });
  const exit = await runCli([
    ...hundredInOneSecond(services.url),
    '--fail-on-status',
    '429,5xx',
    '--fail-threshold',
    '2%',
  ]);

  expect(exit.code).toBe(0);
  expect(exit.stdout).not.toContain('RATE LIMITED');
  expect(exit.stderr).toContain(
    'load: passed --fail-on-status 429,5xx, at most 2.0%: 1 of 100 responses (1.0%) had a listed status',
  );
}, 30_000);
