// The experiment console (`tools/console`) beside the services of `npm start`: a child process,
// so that the console's scenarios and load never share the event loop that prints the logs.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { guardChild } from '../orphan-guard.ts';
import { repositoryRoot, type ServiceName } from '../services.ts';

/** The console's built entry point. */
export const consoleMain = `${repositoryRoot}tools/console/dist/server/cli.js`;

/** Options of {@link startConsoleChild}. */
export interface ConsoleChildOptions {
  /** Every replica's URL per service. */
  readonly urls: Readonly<Record<ServiceName, readonly string[]>>;
  readonly redisUrl: string;
  readonly adminToken: string;
  /** Each line the console prints. */
  readonly print: (line: string) => void;
}

/** A running console child. */
export interface ConsoleChild {
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `tools/console` against the stack (its `--target` URLs, Redis and admin token; host and
 * port from `CONSOLE_HOST`/`CONSOLE_PORT`, default 127.0.0.1:3100). It prints its own URL. It
 * ends with this process: stdin is a pipe it watches, and the orphan guard kills it otherwise.
 * @returns undefined when the console is not built (`npm start` builds it)
 */
export function startConsoleChild(options: ConsoleChildOptions): ConsoleChild | undefined {
  if (!existsSync(consoleMain)) return undefined;
  const targets = (Object.keys(options.urls) as ServiceName[]).map(
    (service) => `--target=${service}=${options.urls[service].join(',')}`,
  );
  const child: ChildProcess = spawn(
    process.execPath,
    [consoleMain, ...targets, '--redis-url', options.redisUrl, '--exit-with-stdin'],
    {
      env: { ...process.env, ADMIN__TOKEN: options.adminToken },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true, // its own process group: Ctrl-C reaches `npm start`, which stops it
    },
  );
  const release = guardChild(child);
  let buffered = '';
  const onData = (chunk: Buffer): void => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) options.print(line);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = once(child, 'exit').then(() => release());
  return {
    async stop(graceMs = 5_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
