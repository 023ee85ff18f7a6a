// Mutual TLS of the service kit against real HTTPS connections, with a CA and certificates made
// in the test and the service's material read from a real SECRETS_DIR: who is admitted at the
// handshake, who may call which route, and how every refusal is counted.
import { connect } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { createServiceClient } from '@shipshape/resilience/http';
import { SECURITY_METRIC } from '../src/security/names.ts';
import { securityConfigSource } from '../src/security/config-source.ts';
import { ServiceSecurity } from '../src/security/service-security.ts';
import { createTestCa, type TestCa, type TestCertificate } from '@shipshape/test-harness/pki';
import { createLogger } from '@shipshape/observability/logging';
import { MetricsRegistry } from '@shipshape/observability/metrics';
import { call, secretsDir, secureConfig, startSecureApp, tlsAgent } from './support/secure-app.ts';

let ca: TestCa;
let payment: TestCertificate;
let order: TestCertificate;
let user: TestCertificate;
beforeAll(async () => {
  ca = await createTestCa();
  [payment, order, user] = await Promise.all([ca.issue('payment'), ca.issue('order'), ca.issue('user')]);
});

const refused = (reason: string) => `reason="${reason}"`;

describe('mutual TLS at the handshake', () => {
  it('admits a caller with a certificate of the CA and tells the route who it is', async () => {
    const app = await startSecureApp(secretsDir(payment));
    const result = await call(tlsAgent({ ca: ca.cert, cert: order }), `${app.url}/payments`, 'POST');
    expect(result).toMatchObject({ status: 201, body: { caller: 'order' } });
  });

  it('closes a connection without a client certificate before any request is read, and counts it', async () => {
    const app = await startSecureApp(secretsDir(payment));
    const result = await call(tlsAgent({ ca: ca.cert }), `${app.url}/payments/1`);
    expect(result).toHaveProperty('error');
    expect(app.handled).toBe(0);
    expect(await app.metric(SECURITY_METRIC.tlsHandshakeFailures, refused('no_certificate'))).toBe(1);
  });

  it('closes a connection whose certificate another CA signed, and counts it', async () => {
    const app = await startSecureApp(secretsDir(payment));
    const stranger = await (await createTestCa('Rogue CA')).issue('order');
    const result = await call(tlsAgent({ ca: ca.cert, cert: stranger }), `${app.url}/payments/1`);
    expect(result).toHaveProperty('error');
    expect(app.handled).toBe(0);
    expect(await app.metric(SECURITY_METRIC.tlsHandshakeFailures, refused('untrusted_certificate'))).toBe(1);
  });

  it('closes a connection with an expired certificate of the CA, and counts it', async () => {
    const app = await startSecureApp(secretsDir(payment));
    const expired = await ca.issue('order', { validForMs: -60_000 });
    expect(await call(tlsAgent({ ca: ca.cert, cert: expired }), `${app.url}/payments/1`)).toHaveProperty(
      'error',
    );
    expect(await app.metric(SECURITY_METRIC.tlsHandshakeFailures, refused('expired_certificate'))).toBe(1);
  });

  it('closes a connection whose identity is outside tls.allowedClients, and counts it', async () => {
    const app = await startSecureApp(secretsDir(payment), { TLS__ALLOWED_CLIENTS: 'order' });
    expect(await call(tlsAgent({ ca: ca.cert, cert: user }), `${app.url}/payments/1`)).toHaveProperty(
      'error',
    );
    expect(await app.metric(SECURITY_METRIC.tlsHandshakeFailures, refused('identity_not_allowed'))).toBe(1);
    const admitted = await call(tlsAgent({ ca: ca.cert, cert: order }), `${app.url}/payments/1`);
    expect(admitted).toMatchObject({ status: 200, body: { caller: 'order' } });
    expect(app.handled).toBe(1);
  });

  it('counts a plain-HTTP request to the TLS port as a failed handshake', async () => {
    const app = await startSecureApp(secretsDir(payment));
    await new Promise<void>((resolve) => {
      const socket = connect(app.port, '127.0.0.1', () =>
        socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n'),
      );
      socket.on('close', () => resolve());
      socket.on('error', () => {});
      socket.resume();
    });
    expect(await app.metric(SECURITY_METRIC.tlsHandshakeFailures, refused('handshake_failed'))).toBe(1);
  });
});

describe('per-route caller authorization', () => {
  it('answers 403 forbidden problem+json to a caller outside the route rule, and counts it by route', async () => {
    const app = await startSecureApp(secretsDir(payment));
    const agent = tlsAgent({ ca: ca.cert, cert: user });
    const denied = await call(agent, `${app.url}/payments`, 'POST');
    expect(denied).toMatchObject({
      status: 403,
      body: { code: 'forbidden', detail: 'Caller user may not use this route.' },
    });
    // The same caller may use routes without a rule.
    expect(await call(agent, `${app.url}/payments/7`)).toMatchObject({
      status: 200,
      body: { caller: 'user' },
    });
    expect(app.handled).toBe(1);
    const labels = 'route="POST /payments",reason="caller_not_allowed"';
    expect(await app.metric(SECURITY_METRIC.authzDenied, labels)).toBe(1);
  });

  it('matches the rule as express routes the request (trailing slash, case)', async () => {
    const app = await startSecureApp(secretsDir(payment));
    const agent = tlsAgent({ ca: ca.cert, cert: user });
    for (const path of ['/payments/', '/PAYMENTS', '/Payments/']) {
      expect(await call(agent, `${app.url}${path}`, 'POST')).toMatchObject({ status: 403 });
    }
    expect(app.handled).toBe(0);
  });

  it('answers 403 on a protected route when TLS runs without client certificates (no identity)', async () => {
    const app = await startSecureApp(secretsDir(payment), { TLS__REQUIRE_CLIENT_CERT: 'false' });
    const anonymous = tlsAgent({ ca: ca.cert });
    expect(await call(anonymous, `${app.url}/payments`, 'POST')).toMatchObject({ status: 403 });
    expect(await call(anonymous, `${app.url}/payments/1`)).toMatchObject({
      status: 200,
      body: { caller: null },
    });
    const labels = 'route="POST /payments",reason="no_identity"';
    expect(await app.metric(SECURITY_METRIC.authzDenied, labels)).toBe(1);
  });
});

describe('service clients with the kit material', () => {
  it("calls the protected route with the resilience client and the caller's clientTls, checking the server is payment", async () => {
    const app = await startSecureApp(secretsDir(payment));
    const orderConfig = await secureConfig(secretsDir(order));
    const metrics = new MetricsRegistry({ service: 'order', defaultMetrics: false });
    const orderSecurity = new ServiceSecurity({
      config: securityConfigSource(orderConfig),
      metrics,
      logger: createLogger({ service: 'order', level: 'silent' }),
    });
    const tls = orderSecurity.clientTls.options('payment');
    expect(tls?.serverIdentity).toBe('payment');
    const payments = createServiceClient({ service: 'payment', endpoints: app.url, ...(tls ? { tls } : {}) });
    try {
      const answer = await payments.request<{ caller: string }>({
        method: 'POST',
        path: '/payments',
        body: {},
      });
      expect(answer.status).toBe(201);
      expect(answer.body.caller).toBe('order');
      // The same material addressed to another service is refused by the client itself.
      const users = createServiceClient({
        service: 'user',
        endpoints: app.url,
        tls: orderSecurity.clientTls.options('user')!,
        maxAttempts: 1,
      });
      await expect(users.request({ path: '/payments/1' })).rejects.toMatchObject({
        code: 'upstream_unavailable',
      });
      await users.close();
    } finally {
      await payments.close();
      orderSecurity.close();
    }
  });
});
