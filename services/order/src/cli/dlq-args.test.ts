import { describe, expect, it } from 'vitest';
import { parseDlqArgs } from './dlq-args.ts';

describe('parseDlqArgs', () => {
  it('reads list with and without --json', () => {
    expect(parseDlqArgs(['list'])).toEqual({ command: 'list', json: false });
    expect(parseDlqArgs(['list', '--json'])).toEqual({ command: 'list', json: true });
  });

  it('reads replay of order ids (deduplicated) or --all', () => {
    expect(parseDlqArgs(['replay', 'a', 'b', 'a'])).toEqual({ command: 'replay', orderIds: ['a', 'b'] });
    expect(parseDlqArgs(['replay', '--all'])).toEqual({ command: 'replay', orderIds: 'all' });
  });

  it('answers help for no arguments', () => {
    expect(parseDlqArgs([])).toEqual({ command: 'help' });
    expect(parseDlqArgs(['--help'])).toEqual({ command: 'help' });
  });

  it.each([
    [['replay'], /at least one order id/],
    [['replay', '--all', 'a'], /not both/],
    [['replay', '--force'], /unknown option "--force"/],
    [['list', 'x'], /unknown argument "x"/],
    [['purge'], /unknown command "purge"/],
  ])('rejects %j', (args, message) => {
    expect(() => parseDlqArgs(args)).toThrow(message);
  });
});
