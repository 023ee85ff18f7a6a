import { styleText } from 'node:util';

/** Colours of the `<service>-<replica>` prefixes, by service. */
const prefixColours = { user: 'cyan', order: 'magenta', payment: 'yellow' } as const;

const levelColours: Record<string, Parameters<typeof styleText>[0]> = {
  fatal: ['red', 'bold'],
  error: 'red',
  warn: 'yellow',
  info: 'green',
  debug: 'gray',
  trace: 'gray',
};

/** Fields shown in the head of a line or left out of the rest. */
const headFields = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname']);

/**
 * One service log line for a terminal: a pino JSON line becomes `HH:MM:SS.mmm LEVEL msg {rest}`;
 * anything else (a stack trace, a Node warning) is kept as it is. The prefix is coloured per
 * service; `styleText` leaves colours out when stdout is not a terminal or `NO_COLOR` is set.
 */
export function formatLogLine(prefix: string, service: keyof typeof prefixColours, line: string): string {
  const head = styleText(prefixColours[service], prefix.padEnd(10));
  return `${head}| ${humanLine(line)}`;
}

function humanLine(line: string): string {
  if (!line.startsWith('{')) return line;
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = typeof record['level'] === 'string' ? record['level'] : 'info';
  const time = typeof record['time'] === 'string' ? record['time'].slice(11, 23) : '';
  const rest = Object.fromEntries(Object.entries(record).filter(([key]) => !headFields.has(key)));
  const extra = Object.keys(rest).length > 0 ? ` ${styleText('gray', JSON.stringify(rest))}` : '';
  const label = styleText(levelColours[level] ?? 'white', level.toUpperCase().padEnd(5));
  return `${time} ${label} ${typeof record['msg'] === 'string' ? record['msg'] : ''}${extra}`;
}
