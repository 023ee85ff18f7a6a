import { expect, it, vi } from 'vitest';
import { skipWithoutTool, toolAvailable } from './tools.ts';

it('finds a tool on PATH', () => {
  expect(toolAvailable('sh')).toBe(true);
  expect(toolAvailable('shipshape-no-such-tool')).toBe(false);
});

it('skips tests for a missing tool on a developer machine, with the install hint', () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  expect(skipWithoutTool('shipshape-no-such-tool', 'apt-get install it', {})).toBe(true);
  expect(warn.mock.calls[0]?.[0]).toContain('apt-get install it');
});

it('never skips in CI, so a missing tool fails the run there', () => {
  expect(skipWithoutTool('shipshape-no-such-tool', 'apt-get install it', { CI: 'true' })).toBe(false);
});

it('does not skip when the tool exists', () => {
  expect(skipWithoutTool('sh', 'n/a', {})).toBe(false);
});
