import { describe, expect, it } from 'vitest';
import { exitOnConfigError } from '../src/index.ts';
import { ConfigValidationError } from '../src/errors/config-validation-error.ts';
import { runFixture } from './run-fixture.ts';

describe('exitOnConfigError', () => {
  it('makes a service with invalid config print every problem and exit 1', async () => {
    const result = await runFixture('refuse-to-start.ts', {
      PORT: '99999',
      DB__PASSWORD: 'too-short-secret',
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [
        'Invalid configuration (2 problems):',
        '  - port: Too big: expected number to be <=65535 [env:PORT]',
        '  - db.password: Too small: expected string to have >=32 characters [env:DB__PASSWORD]',
        '',
      ].join('\n'),
    );
    expect(result.stderr).not.toContain('too-short-secret');
  });

  it('lets a service with valid config start', async () => {
    const result = await runFixture('refuse-to-start.ts', { PORT: '8080', DB__PASSWORD: 'x'.repeat(32) });
    expect(result).toMatchObject({ code: 0, stdout: 'started on 8080\n' });
  });

  it('writes the message and exits with 1 through the given hooks', () => {
    const written: string[] = [];
    const codes: number[] = [];
    const exit = (code: number): never => {
      codes.push(code);
      throw new Error('exited');
    };
    const error = new ConfigValidationError([
      { key: 'port', source: 'env:PORT', reason: 'expected an integer' },
    ]);
    expect(() => exitOnConfigError(error, { write: (t) => written.push(t), exit })).toThrow('exited');
    expect(written).toEqual([
      'Invalid configuration (1 problem):\n  - port: expected an integer [env:PORT]\n',
    ]);
    expect(codes).toEqual([1]);
  });
});
