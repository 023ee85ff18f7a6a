// `npm start`: the three services on this machine (the root script builds them first).
import { styleText } from 'node:util';
import { redactRedisUrl, redisUnreachableReason } from '../redis-check.ts';
import { serviceNames } from '../services.ts';
import { startStack, type Stack } from '../stack.ts';
import { startConsoleChild, type ConsoleChild } from './console-child.ts';
import { portInUse } from './port-check.ts';
import { parseStartArgs, StartUsageError, startUsage, type StartSettings } from './start-args.ts';

const say = (text: string): void => void process.stdout.write(`${styleText('bold', '[stack]')} ${text}\n`);
const fail = (text: string, code = 1): never => {
  process.stderr.write(`${styleText(['red', 'bold'], '[stack]')} ${text}\n`);
  process.exit(code);
};

let settings: StartSettings | undefined;
try {
  settings = parseStartArgs(process.argv.slice(2), process.env);
} catch (error) {
  if (!(error instanceof StartUsageError)) throw error;
  fail(`${error.message}\n\n${startUsage}`, 2);
}
if (!settings) {
  process.stdout.write(`${startUsage}\n`);
  process.exit(0);
}

const redisShown = redactRedisUrl(settings.redisUrl);
const unreachable = await redisUnreachableReason(settings.redisUrl);
if (unreachable !== undefined)
  fail(
    `Redis is unreachable at ${redisShown} (${unreachable}).\n` +
      '        Start one (redis-server, or docker compose up -d redis) or point REDIS_URL at yours.',
  );
const busy: string[] = [];
for (const service of serviceNames)
  for (const port of settings.ports[service]) if (await portInUse(port)) busy.push(`${port} (${service})`);
if (busy.length > 0)
  fail(
    `port ${busy.join(', ')} already in use — is another npm start running? Set USER_PORT/ORDER_PORT/PAYMENT_PORT to move.`,
  );

say(`starting user, payment, order against ${redisShown}${settings.telemetry ? ', tracing on' : ''} …`);
let stack: Stack | undefined;
let consoleChild: ConsoleChild | undefined;
let stopping = false;
const onSignal = (signal: NodeJS.Signals): void => {
  if (stopping) {
    say('second signal: killing every service');
    for (const p of stack?.processes ?? []) void p.kill('SIGKILL');
    process.exit(130);
  }
  stopping = true;
  say(`${signal}: stopping gracefully (Ctrl-C again to kill)`);
  void (consoleChild?.stop() ?? Promise.resolve())
    .then(() => stack?.stop())
    .then(() => {
      say('stopped');
      process.exit(0);
    });
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

try {
  stack = await startStack({
    redisUrl: settings.redisUrl,
    replicas: settings.replicas,
    ports: settings.ports,
    telemetry: settings.telemetry,
    logLevel: settings.logLevel,
    logs: 'prefixed',
    inheritEnv: true,
    ...(process.env['ADMIN__TOKEN'] ? { adminToken: process.env['ADMIN__TOKEN'] } : {}),
  });
} catch (error) {
  if (stopping) await new Promise(() => undefined); // the signal handler exits
  fail(`a service failed to start: ${(error as Error).message}`);
}
if (stack && !stopping) {
  for (const p of stack.processes)
    p.onExit((exit) => {
      if (!stopping) say(styleText('red', `${p.name} exited (${exit.signal ?? `code ${exit.code}`})`));
    });
  say(`ready: ${serviceNames.map((s) => `${s} ${stack?.urls(s).join(' ')}`).join(' · ')}  (Ctrl-C to stop)`);
  if (!process.env['ADMIN__TOKEN'])
    say(
      `admin token of /config and /admin/* for this run: ${stack.adminToken} (set ADMIN__TOKEN to choose one)`,
    );
  if (settings.console) {
    const running = stack;
    consoleChild = startConsoleChild({
      urls: { user: running.urls('user'), order: running.urls('order'), payment: running.urls('payment') },
      redisUrl: settings.redisUrl,
      adminToken: running.adminToken,
      print: (line) => void process.stdout.write(`${line}\n`),
    });
    if (!consoleChild)
      say('the experiment console is not built (npm run build -w @shipshape/console); running without it');
  }
}
