// Two real service processes started by runService (the fixture is a main.ts) talk over mutual
// TLS with certificates made in this test and read from each process's own SECRETS_DIR:
// order → payment is admitted and authorized; other callers are refused or forbidden and counted
// (read over the plain operational port, as Prometheus would); both certificates rotate without a
// restart; the admin token guards /config; and no token or key ever reaches a log line.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { freePort, waitFor } from '@shipshape/test-harness';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCa, type TestCa, type TestCertificate } from '@shipshape/test-harness/pki';
import { writeSecrets } from './support/secure-app.ts';

const fixture = fileURLToPath(new URL('./fixtures/secure-service.ts', import.meta.url));
const redis = useRedisServer();
const adminToken = `admin-${crypto.randomUUID()}`;

interface ServiceProcess {
  child: ChildProcess;
  port: number;
  operationalPort: number;
  dir: string;
  output: () => string;
}

let ca: TestCa;
const issued: TestCertificate[] = [];
const agents: Agent[] = [];
const processes: ServiceProcess[] = [];
let payment: ServiceProcess;
let order: ServiceProcess;
let tester: TestCertificate;

async function issue(identity: string): Promise<TestCertificate> {
  const cert = await ca.issue(identity);
  issued.push(cert);
  return cert;
}

async function startService(service: string, env: Record<string, string> = {}): Promise<ServiceProcess> {
  const [port, operationalPort] = [await freePort(), await freePort()];
  const cert = await issue(service);
  const dir = mkdtempSync(join(tmpdir(), `shipshape-${service}-secrets-`));
  writeSecrets(dir, {
    'tls.cert': cert.cert,
    'tls.key': cert.key,
    'tls.ca': cert.ca,
    'admin.token': adminToken,
  });
  const child = spawn(process.execPath, [fixture], {
    env: {
      PATH: process.env.PATH,
      OTEL_SDK_DISABLED: 'true',
      LOG_LEVEL: 'info',
      SERVICE: service,
      PORT: String(port),
      REDIS_URL: redis.url,
      SECRETS_DIR: dir,
      TLS__ENABLED: 'true',
      TLS__OPERATIONAL_PORT: String(operationalPort),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const started = { child, port, operationalPort, dir, output: () => output };
  processes.push(started);
  await waitFor(
    `${service} to be ready on its operational port`,
    async () =>
      (await fetch(`http://127.0.0.1:${operationalPort}/ready`).catch(() => undefined))?.status === 200,
    { timeoutMs: 30_000 },
  );
  return started;
}

/** A keep-alive client of `server` (the identity its certificate must carry), presenting `cert`. */
function agent(cert?: TestCertificate, server = 'payment'): Agent {
  const created = new Agent({
    connect: { ca: ca.cert, servername: server, ...(cert ? { cert: cert.cert, key: cert.key } : {}) },
  });
  agents.push(created);
  return created;
}

async function send(
  via: Agent,
  url: string,
  init: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, unknown>; text: string } | { error: string }> {
  try {
    const response = await request(url, {
      dispatcher: via,
      method: (init.method ?? 'GET') as 'GET',
      headers: { ...(init.method === 'POST' ? { 'content-type': 'application/json' } : {}), ...init.headers },
      ...(init.method === 'POST' ? { body: '{}' } : {}),
    });
    const text = await response.body.text();
    return { status: response.statusCode, body: JSON.parse(text) as Record<string, unknown>, text };
  } catch (error) {
    const { code, cause } = error as { code?: string; cause?: { code?: string } };
    return { error: code ?? cause?.code ?? String(error) };
  }
}

/** One series of a process's /metrics, read over its plain operational port. */
async function metric(service: ServiceProcess, name: string, labels: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${service.operationalPort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** The serial of the certificate a new TLS connection to `port` is served. */
async function servedSerial(port: number): Promise<string> {
  const socket = tlsConnect({
    host: '127.0.0.1',
    port,
    ca: ca.cert,
    servername: 'payment',
    cert: tester.cert,
    key: tester.key,
  });
  await once(socket, 'secureConnect');
  const serial = socket.getPeerCertificate().serialNumber;
  socket.destroy();
  return serial.toLowerCase();
}

beforeAll(async () => {
  ca = await createTestCa();
  tester = await issue('tester');
  payment = await startService('payment');
  order = await startService('order', { UPSTREAM_URL: `https://127.0.0.1:${payment.port}` });
}, 90_000);

afterAll(async () => {
  await Promise.all(agents.splice(0).map((a) => a.close()));
  for (const p of processes) {
    if (p.child.exitCode === null) p.child.kill('SIGKILL');
    rmSync(p.dir, { recursive: true, force: true });
  }
});

describe('two service processes over mutual TLS', { timeout: 60_000 }, () => {
  const paymentUrl = () => `https://127.0.0.1:${payment.port}`;
  const orderUrl = () => `https://127.0.0.1:${order.port}`;

  it('order calls the protected POST /payments of payment, which sees the caller order', async () => {
    const result = await send(agent(tester, 'order'), `${orderUrl()}/checkout`, { method: 'POST' });
    expect(result).toMatchObject({ status: 201, body: { caller: 'order' } });
  });

  it('payment answers 403 forbidden to another caller of the CA on POST /payments, and counts it', async () => {
    const result = await send(agent(tester), `${paymentUrl()}/payments`, { method: 'POST' });
    expect(result).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    const labels = 'route="POST /payments",reason="caller_not_allowed"';
    expect(await metric(payment, 'security_authz_denied_total', labels)).toBe(1);
  });

  it('payment refuses a client without certificate and one of another CA at the handshake, and counts both', async () => {
    expect(await send(agent(), `${paymentUrl()}/payments`, { method: 'POST' })).toHaveProperty('error');
    const rogue = await (await createTestCa('Rogue CA')).issue('order');
    expect(await send(agent(rogue), `${paymentUrl()}/payments`, { method: 'POST' })).toHaveProperty('error');
    expect(await metric(payment, 'security_tls_handshake_failures_total', 'reason="no_certificate"')).toBe(1);
    expect(
      await metric(payment, 'security_tls_handshake_failures_total', 'reason="untrusted_certificate"'),
    ).toBe(1);
  });

  it('guards /config with the admin token: 401 without, 403 wrong, 200 right with secrets redacted', async () => {
    const via = agent(tester);
    expect(await send(via, `${paymentUrl()}/config`)).toMatchObject({
      status: 401,
      body: { code: 'unauthorized' },
    });
    const wrong = await send(via, `${paymentUrl()}/config`, {
      headers: { authorization: 'Bearer not-the-token-at-all' },
    });
    expect(wrong).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    const right = await send(via, `${paymentUrl()}/config`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(right).toMatchObject({ status: 200, body: { 'tls.enabled': { value: true } } });
    const { text } = right as { text: string };
    expect(text).not.toContain(adminToken);
    expect(text).not.toContain('PRIVATE KEY');
    // Not on the plain operational port at all.
    expect((await fetch(`http://127.0.0.1:${payment.operationalPort}/config`)).status).toBe(404);
  });

  it("rotates payment's server certificate and order's client certificate without a restart", async () => {
    const renewedPayment = await issue('payment');
    writeSecrets(payment.dir, { 'tls.key': renewedPayment.key, 'tls.cert': renewedPayment.cert });
    await waitFor('payment to serve its renewed certificate', async () => {
      return (await servedSerial(payment.port)) === renewedPayment.serialNumber.toLowerCase();
    });
    expect(await metric(payment, 'security_tls_reloads_total', 'outcome="success"')).toBe(1);

    const renewedOrder = await issue('order');
    writeSecrets(order.dir, { 'tls.key': renewedOrder.key, 'tls.cert': renewedOrder.cert });
    // Order's client moves to fresh pools on rotation: its next call to payment connects with
    // the renewed client certificate.
    await waitFor(
      "payment to see order's renewed client certificate",
      async () => {
        const result = await send(agent(tester, 'order'), `${orderUrl()}/checkout`, { method: 'POST' });
        return (
          'body' in result &&
          String(result.body.clientSerial).toLowerCase() === renewedOrder.serialNumber.toLowerCase()
        );
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    expect(payment.child.exitCode).toBeNull();
    expect(order.child.exitCode).toBeNull();
  });

  it('stops both on SIGTERM with exit 0, and no log line holds the admin token or a private key', async () => {
    for (const p of [order, payment]) {
      const exited = once(p.child, 'exit');
      p.child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      expect({ code, output: code === 0 ? '' : p.output() }).toEqual({ code: 0, output: '' });
    }
    const logs = processes.map((p) => p.output()).join('\n');
    expect(logs).toContain('TLS certificate rotated');
    expect(logs).not.toContain(adminToken);
    for (const cert of issued) {
      for (const line of cert.key.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'))) {
        expect(logs).not.toContain(line);
      }
    }
  });
});
