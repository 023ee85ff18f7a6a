import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { redisPing, waitFor } from '../src/index.ts';

it('kills the redis-server of a test process that was SIGKILLed', async () => {
  const fixture = fileURLToPath(new URL('./fixtures/start-and-wait.ts', import.meta.url));
  const child = spawn(process.execPath, [fixture], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  const port = Number(chunk.toString().trim());
  expect(await redisPing(port)).toBe('+PONG');

  child.kill('SIGKILL');
  await once(child, 'exit');
  await waitFor(
    'the orphaned redis-server to die',
    async () => (await redisPing(port, '127.0.0.1', 200)) === undefined,
    {
      timeoutMs: 5_000,
    },
  );
});
