#!/usr/bin/env node
// `npm run console -- …`, and the console `npm start` runs beside the services.
import { styleText } from 'node:util';
import { consoleUsage, ConsoleUsageError, parseConsoleArgs, type ConsoleSettings } from './console-args.ts';
import { startConsole } from './console-server.ts';

const say = (text: string): void => void process.stdout.write(`${styleText('bold', '[console]')} ${text}\n`);

let settings: ConsoleSettings | undefined;
try {
  settings = parseConsoleArgs(process.argv.slice(2), process.env);
} catch (error) {
  if (!(error instanceof ConsoleUsageError)) throw error;
  process.stderr.write(`console: ${error.message}\n\n${consoleUsage}\n`);
  process.exit(2);
}
if (!settings) {
  process.stdout.write(`${consoleUsage}\n`);
  process.exit(0);
}

let server;
try {
  server = await startConsole({
    urls: settings.urls,
    redisUrl: settings.redisUrl,
    host: settings.host,
    port: settings.port,
    allowedHosts: settings.allowedHosts,
    ...(settings.adminToken === undefined ? {} : { adminToken: settings.adminToken }),
    ...(settings.grafanaUrl === undefined ? {} : { grafanaUrl: settings.grafanaUrl }),
    ...(settings.jaegerUrl === undefined ? {} : { jaegerUrl: settings.jaegerUrl }),
  });
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  process.stderr.write(
    `console: cannot listen on ${settings.host}:${settings.port}: ${code === 'EADDRINUSE' ? 'the port is in use (set CONSOLE_PORT or --port)' : (error as Error).message}\n`,
  );
  process.exit(1);
}
// The token travels in the fragment, which the browser never sends; the page keeps it for the
// tab (sessionStorage) and takes it out of the address bar.
say(
  settings.adminToken === undefined
    ? `experiment console (read-only: no admin token): ${server.url}/`
    : `experiment console: ${server.url}/#token=${encodeURIComponent(settings.adminToken)}`,
);
const stop = (): void => void server.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
if (settings.exitWithStdin) {
  process.stdin.resume();
  process.stdin.once('close', stop);
  process.stdin.once('end', stop);
}
