// The service client over TLS and mutual TLS, against real HTTPS servers on 127.0.0.1 with
// certificates made in the test: the upstream's identity is checked against the service name
// (not the dialled IP), the client certificate is presented, and setTls() rotates it: calls in
// flight finish on their connections, the next call connects with the new certificate.
import { once } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createTestCa, type TestCa, type TestCertificate } from '@shipshape/test-harness/pki';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createServiceClient,
  isUpstreamUnavailableError,
  type ServiceClient,
  type ServiceClientOptions,
} from '../../src/http/index.ts';

interface Echo {
  identity: string | null;
  serial: string | null;
  connection: number;
}

interface TlsServer {
  url: string;
  server: Server;
  handled: number;
}

const servers: Server[] = [];
const clients: ServiceClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

let ca: TestCa;
let otherCa: TestCa;
let payment: TestCertificate;
let order: TestCertificate;
beforeAll(async () => {
  ca = await createTestCa();
  otherCa = await createTestCa('Another CA');
  payment = await ca.issue('payment');
  order = await ca.issue('order');
});

/** An HTTPS server that asks for a client certificate and echoes what it saw of the caller. */
async function startServer(cert: TestCertificate, trust: string): Promise<TlsServer> {
  let connections = 0;
  const ids = new WeakMap<object, number>();
  const state: TlsServer = { url: '', server: undefined as unknown as Server, handled: 0 };
  const server = createServer(
    { cert: cert.cert, key: cert.key, ca: trust, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      state.handled += 1;
      const delayMs = Number(new URL(req.url ?? '/', 'https://x').searchParams.get('delayMs') ?? 0);
      const socket = req.socket as TLSSocket;
      if (!ids.has(socket)) ids.set(socket, ++connections);
      const peer = socket.getPeerCertificate();
      const echo: Echo = {
        identity: peer.subjectaltname ?? null,
        serial: peer.serialNumber ?? null,
        connection: ids.get(socket)!,
      };
      res.setHeader('content-type', 'application/json');
      setTimeout(() => res.end(JSON.stringify(echo)), delayMs);
    },
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  state.server = server;
  state.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

function client(options: Omit<ServiceClientOptions, 'service'>): ServiceClient {
  const c = createServiceClient({ service: 'payment', breaker: false, outlierDetection: false, ...options });
  clients.push(c);
  return c;
}

describe('service client over mutual TLS', () => {
  it('presents its certificate and accepts an upstream whose SAN is the service name, dialled by IP', async () => {
    const upstream = await startServer(payment, ca.cert);
    const payments = client({
      endpoints: upstream.url,
      tls: { ca: ca.cert, cert: order.cert, key: order.key },
    });
    const { status, body } = await payments.request<Echo>({ path: '/' });
    expect(status).toBe(200);
    expect(body.identity).toBe('DNS:order');
  });

  it('refuses an upstream whose certificate names another service, before sending the request', async () => {
    const impostor = await startServer(await ca.issue('user'), ca.cert);
    const payments = client({
      endpoints: impostor.url,
      tls: { ca: ca.cert, cert: order.cert, key: order.key },
    });
    const error = await payments
      .request({ method: 'POST', path: '/payments', body: {} })
      .catch((e: unknown) => e);
    expect(isUpstreamUnavailableError(error)).toBe(true);
    expect(((error as Error).cause as { code?: string }).code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(impostor.handled).toBe(0);
  });

  it('refuses an upstream whose certificate another CA signed', async () => {
    const stranger = await startServer(await otherCa.issue('payment'), ca.cert);
    const payments = client({
      endpoints: stranger.url,
      tls: { ca: ca.cert, cert: order.cert, key: order.key },
    });
    const error = await payments.request({ path: '/' }).catch((e: unknown) => e);
    expect(isUpstreamUnavailableError(error)).toBe(true);
    expect(((error as Error).cause as { code?: string }).code).toMatch(/UNABLE_TO_VERIFY|SELF_SIGNED/);
    expect(stranger.handled).toBe(0);
  });

  it('checks a configured serverIdentity instead of the service name', async () => {
    const upstream = await startServer(await ca.issue('payments.internal'), ca.cert);
    const payments = client({
      endpoints: upstream.url,
      tls: { ca: ca.cert, cert: order.cert, key: order.key, serverIdentity: 'payments.internal' },
    });
    expect((await payments.request({ path: '/' })).status).toBe(200);
  });

  it('sends a POST without idempotency key to another endpoint when one presents a wrong certificate (nothing was sent)', async () => {
    const impostor = await startServer(await ca.issue('user'), ca.cert);
    const upstream = await startServer(payment, ca.cert);
    const payments = client({
      endpoints: [impostor.url, upstream.url],
      loadBalancer: 'round_robin',
      tls: { ca: ca.cert, cert: order.cert, key: order.key },
    });
    for (let i = 0; i < 2; i++) {
      const answer = await payments.request({ method: 'POST', path: '/x', body: {} });
      expect(answer.endpoint).toBe(upstream.url.replace('https://', ''));
    }
    expect(impostor.handled).toBe(0);
    expect(upstream.handled).toBe(2);
  });

  it('rotates the client certificate with setTls: a call in flight finishes on its connection, the next call presents the new one', async () => {
    const upstream = await startServer(payment, ca.cert);
    const payments = client({
      endpoints: upstream.url,
      tls: { ca: ca.cert, cert: order.cert, key: order.key },
    });
    const before = (await payments.request<Echo>({ path: '/' })).body;
    expect(before.serial?.toLowerCase()).toBe(order.serialNumber.toLowerCase());

    const inFlight = payments.request<Echo>({ path: '/', query: { delayMs: 300 } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const renewed = await ca.issue('order');
    payments.setTls({ ca: ca.cert, cert: renewed.cert, key: renewed.key });
    const finished = (await inFlight).body;
    expect(finished.serial).toBe(before.serial);

    const next = (await payments.request<Echo>({ path: '/' })).body;
    expect(next.connection).not.toBe(finished.connection);
    expect(next.serial?.toLowerCase()).toBe(renewed.serialNumber.toLowerCase());
  });

  it('validates the TLS options at construction and on setTls', () => {
    expect(() =>
      createServiceClient({ service: 'payment', endpoints: 'http://127.0.0.1:1', tls: { ca: 'x' } }),
    ).toThrow('tls is set, so every endpoint must be https:, got http:');
    expect(() =>
      createServiceClient({ service: 'payment', endpoints: 'https://127.0.0.1:1', tls: { cert: 'x' } }),
    ).toThrow('tls.cert and tls.key must be given together');
    const plain = client({ endpoints: 'https://127.0.0.1:1' });
    expect(() => plain.setTls({ ca: 'x' })).toThrow(/created without tls/);
    const secured = client({ endpoints: 'https://127.0.0.1:1', tls: { ca: 'x' } });
    expect(() => secured.setTls({ key: 'x' })).toThrow('tls.cert and tls.key must be given together');
  });
});
