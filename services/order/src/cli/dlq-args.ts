/** What `npm run dlq -- …` was asked to do. */
export type DlqCommand =
  | { readonly command: 'list'; readonly json: boolean }
  | { readonly command: 'replay'; readonly orderIds: readonly string[] | 'all' }
  | { readonly command: 'help' };

/** Thrown for arguments the tool does not understand; the message says what is wrong. */
export class DlqUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DlqUsageError';
  }
}

/** The usage text. */
export const dlqUsage = `Usage:
  npm run dlq -- list [--json]               list the dead letters (charges given up)
  npm run dlq -- replay <orderId>...         put these charges back into the payment queue
  npm run dlq -- replay --all                put every dead letter back

Environment: REDIS_URL (default redis://127.0.0.1:6379).
Exit codes: 0 done, 1 some order ids had no dead letter, 2 bad arguments, 3 Redis unreachable or failed.`;

/** Parses the arguments after `dlq`. @throws {DlqUsageError} */
export function parseDlqArgs(args: readonly string[]): DlqCommand {
  const [command, ...rest] = args;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    return { command: 'help' };
  }
  if (command === 'list') {
    const unknown = rest.filter((a) => a !== '--json');
    if (unknown.length > 0) throw new DlqUsageError(`list: unknown argument "${unknown[0]}"`);
    return { command: 'list', json: rest.includes('--json') };
  }
  if (command === 'replay') {
    const all = rest.includes('--all');
    const options = rest.filter((a) => a.startsWith('-') && a !== '--all');
    if (options.length > 0) throw new DlqUsageError(`replay: unknown option "${options[0]}"`);
    const ids = rest.filter((a) => a !== '--all');
    if (all && ids.length > 0) throw new DlqUsageError('replay: give order ids or --all, not both');
    if (!all && ids.length === 0) throw new DlqUsageError('replay: give at least one order id, or --all');
    return { command: 'replay', orderIds: all ? 'all' : [...new Set(ids)] };
  }
  throw new DlqUsageError(`unknown command "${command}"`);
}
