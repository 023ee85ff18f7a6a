import { describe, expect, it } from 'vitest';
import { EndpointResolver, parseEndpoints } from './endpoint-resolver.ts';
import type { EndpointAddress } from './endpoint.ts';

describe('endpoint resolution', () => {
  it('parses a comma-separated list with default ports and weights', () => {
    expect(parseEndpoints('http://10.0.0.1:3001, http://user, https://[::1]')).toEqual([
      { protocol: 'http:', hostname: '10.0.0.1', port: 3001, weight: 1, literal: true },
      { protocol: 'http:', hostname: 'user', port: 80, weight: 1, literal: false },
      { protocol: 'https:', hostname: '::1', port: 443, weight: 1, literal: true },
    ]);
  });

  it('keeps explicit weights', () => {
    expect(parseEndpoints([{ url: 'http://a:1', weight: 9 }, 'http://b:1']).map((t) => t.weight)).toEqual([
      9, 1,
    ]);
  });

  it('resolves names to every address, with the name as Host and lookup ports honoured', async () => {
    let published: EndpointAddress[] = [];
    const resolver = new EndpointResolver(
      parseEndpoints('http://svc:8080,http://127.0.0.9:1'),
      (host) =>
        Promise.resolve(host === 'svc' ? [{ address: '10.0.0.1' }, { address: '10.0.0.2', port: 9090 }] : []),
      (a) => (published = a),
      () => undefined,
    );
    await resolver.refresh();
    expect(published.map((a) => `${a.address}:${a.port} ${a.hostHeader ?? '-'}`)).toEqual([
      '10.0.0.1:8080 svc:8080',
      '10.0.0.2:9090 svc:8080',
      '127.0.0.9:1 -',
    ]);
  });

  it('keeps the previous addresses of a name whose lookup fails or comes back empty', async () => {
    let answer: () => Promise<{ address: string }[]> = () => Promise.resolve([{ address: '10.0.0.1' }]);
    const errors: string[] = [];
    let published: EndpointAddress[] = [];
    const resolver = new EndpointResolver(
      parseEndpoints('http://svc:1'),
      () => answer(),
      (a) => (published = a),
      (host) => errors.push(host),
    );
    await resolver.refresh();
    answer = () => Promise.reject(new Error('SERVFAIL'));
    await resolver.refresh();
    answer = () => Promise.resolve([]);
    await resolver.refresh();
    expect(published.map((a) => a.address)).toEqual(['10.0.0.1']);
    expect(errors).toEqual(['svc', 'svc']);
  });
});
