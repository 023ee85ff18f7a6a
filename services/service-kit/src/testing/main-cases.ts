import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { freePort, waitFor } from '@shipshape/test-harness';
import { afterEach, expect, it } from 'vitest';

/** Options of {@link describeMainCases}. */
export interface MainCasesOptions {
  /** The service name, as in its logs. */
  service: string;
  /** The service's `src/main.ts` (run with `node`, type stripping). */
  mainUrl: URL;
  /** The harness Redis (`useRedisServer().url`). */
  redisUrl: () => string;
}

/**
 * Registers the process tests every service's `main.ts` must pass, in the calling test file:
 * it starts against Redis, answers `/ready` 200 and exits 0 on SIGTERM; and it exits 1 with
 * `Redis is unreachable at start` when Redis is down. Children left running are SIGKILLed.
 */
export function describeMainCases(options: MainCasesOptions): void {
  const main = fileURLToPath(options.mainUrl);
  const children: ChildProcess[] = [];

  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  function start(env: Record<string, string>): { child: ChildProcess; output: () => string } {
    const child = spawn(process.execPath, [main], {
      env: { PATH: process.env.PATH, OTEL_SDK_DISABLED: 'true', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return { child, output: () => output };
  }

  it('starts against Redis, answers /ready 200 and exits 0 on SIGTERM', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const { child, output } = start({ PORT: String(port), REDIS_URL: options.redisUrl() });
    await waitFor(
      `the ${options.service} service to be ready`,
      async () => (await fetch(`http://127.0.0.1:${port}/ready`).catch(() => undefined))?.status === 200,
      { timeoutMs: 30_000 },
    );
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect({ code, output: code === 0 ? '' : output() }).toEqual({ code: 0, output: '' });
  });

  it(
    'fails fast with a clear message and exit 1 when Redis is unreachable',
    { timeout: 60_000 },
    async () => {
      const deadPort = await freePort();
      const { child, output } = start({
        PORT: String(await freePort()),
        REDIS_URL: `redis://127.0.0.1:${deadPort}`,
      });
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(1);
      expect(output()).toContain('Redis is unreachable at start');
    },
  );
}
