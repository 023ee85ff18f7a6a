import { MetricsRegistry } from '@shipshape/observability/metrics';
import { AimdLimit } from '@shipshape/resilience';
import { afterEach, describe, expect, it } from 'vitest';
import { isUserServiceUnavailableError } from '../errors/user-service-unavailable-error.ts';
import { useUserUpstream } from '../testing/user-upstream.test-helper.ts';
import { UserClient, type UserClientOptions } from './user-client.ts';

const startUpstream = useUserUpstream();
const clients: UserClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

function userClient(options: UserClientOptions): UserClient {
  const client = new UserClient(options);
  clients.push(client);
  return client;
}

describe('UserClient', () => {
  it('answers exists for 200 and unknown for 404', async () => {
    const upstream = await startUpstream();
    upstream.known.add('u-1');
    const users = userClient({ endpoints: upstream.url });
    expect(await users.lookup('u-1')).toBe('exists');
    expect(await users.lookup('u-2')).toBe('unknown');
  });

  it('spreads lookups over comma-separated endpoints and moves on from a stopped one', async () => {
    const [a, b] = [await startUpstream(), await startUpstream()];
    for (const upstream of [a, b]) upstream.known.add('u-1');
    const users = userClient({ endpoints: `${a.url},${b.url}` });
    for (let i = 0; i < 10; i++) expect(await users.lookup('u-1')).toBe('exists');
    expect(a.hits).toBeGreaterThan(0);
    expect(b.hits).toBeGreaterThan(0);
    await a.stop();
    for (let i = 0; i < 10; i++) expect(await users.lookup('u-1')).toBe('exists');
  });

  it('throws UserServiceUnavailableError with reason and no host in the message when nothing answers', async () => {
    const upstream = await startUpstream();
    await upstream.stop();
    const users = userClient({ endpoints: upstream.url, maxAttempts: 2 });
    const error: unknown = await users.lookup('u-1').catch((e: unknown) => e);
    expect(isUserServiceUnavailableError(error)).toBe(true);
    expect(error).toMatchObject({ upstream: 'user', reason: 'connection_failed', retryAfterMs: 1_000 });
    expect((error as Error).message).not.toContain('127.0.0.1');
  });

  it('turns a lookup refused by the adaptive concurrency limit into concurrency_limited with its Retry-After', async () => {
    const upstream = await startUpstream();
    upstream.answer = 'hang';
    const users = userClient({
      endpoints: upstream.url,
      timeoutMs: 300,
      concurrencyLimit: { algorithm: new AimdLimit({ initialLimit: 1, maxLimit: 1 }), retryAfterMs: 2_000 },
    });
    const hanging = users.lookup('u-1').catch(() => undefined);
    const error: unknown = await users.lookup('u-2').catch((e: unknown) => e);
    expect(error).toMatchObject({ upstream: 'user', reason: 'concurrency_limited', retryAfterMs: 2_000 });
    await hanging;
  });

  it('rethrows the caller signal reason instead of blaming the upstream', async () => {
    const upstream = await startUpstream();
    upstream.answer = 'hang';
    const users = userClient({ endpoints: upstream.url });
    const controller = new AbortController();
    const reason = new Error('caller left');
    setTimeout(() => controller.abort(reason), 20);
    await expect(users.lookup('u-1', { signal: controller.signal })).rejects.toBe(reason);
  });

  it('records attempts under peer_service="user" and stops recording after close', async () => {
    const upstream = await startUpstream();
    const metrics = new MetricsRegistry({ service: 'order', defaultMetrics: false });
    const users = new UserClient({ endpoints: upstream.url, metrics });
    await users.lookup('u-1');
    await users.close();
    const text = await metrics.render('prometheus');
    expect(text).toMatch(/http_client_request_duration_seconds_count\{[^}]*peer_service="user"[^}]*\} 1\n/);
    await expect(users.lookup('u-1')).rejects.toMatchObject({ reason: 'client_closed' });
  });
});
