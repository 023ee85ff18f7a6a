import { describe, expect, it } from 'vitest';
import { isRedisUnavailableError } from './redis-unavailable.ts';

describe('isRedisUnavailableError', () => {
  it.each([
    [
      'ioredis retries exhausted',
      Object.assign(new Error('Reached the max retries per request limit'), {
        name: 'MaxRetriesPerRequestError',
      }),
    ],
    [
      'connection refused',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
    ],
    ['connection closed', new Error('Connection is closed.')],
    ['command timeout', new Error('Command timed out')],
    [
      'a cluster failover outlasting the redirections',
      new Error('Too many Cluster redirections. Last error: Error: Connection is closed.'),
    ],
    ['a cluster without a master for a slot', new Error('CLUSTERDOWN The cluster is down')],
    ['a cluster no node of which answers', new Error('None of startup nodes is available')],
  ])('recognises %s', (_name, error) => {
    expect(isRedisUnavailableError(error)).toBe(true);
  });

  it.each([
    ['a command error', new Error('WRONGTYPE Operation against a key holding the wrong kind of value')],
    ['a plain error', new Error('boom')],
    ['a string', 'ECONNREFUSED'],
    ['null', null],
  ])('does not treat %s as Redis being unavailable', (_name, error) => {
    expect(isRedisUnavailableError(error)).toBe(false);
  });
});
