import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestCa, type TestCa, type TestCertificate } from '@shipshape/test-harness/pki';
import { freePort, waitFor } from '@shipshape/test-harness';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The three real service processes with tls.enabled: every hop (test → user, test → order,
// order → user, order → payment) is mutual TLS, each side checking the other's identity.
const redis = useRedisServer();
const services = ['user', 'payment', 'order'] as const;
type Service = (typeof services)[number];
const mains: Record<Service, string> = {
  user: fileURLToPath(new URL('../../user/src/main.ts', import.meta.url)),
  payment: fileURLToPath(new URL('../../payment/src/main.ts', import.meta.url)),
  order: fileURLToPath(new URL('../src/main.ts', import.meta.url)),
};

let ca: TestCa;
let client: TestCertificate;
const children: ChildProcess[] = [];
const dirs: string[] = [];
const urls = {} as Record<Service, string>;

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** One JSON request over mutual TLS as the `operator` identity, checking the server is `service`. */
function send(service: Service, path: string, body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${urls[service]}${path}`,
      {
        method: body === undefined ? 'GET' : 'POST',
        ca: ca.cert,
        cert: client.cert,
        key: client.key,
        servername: service,
        agent: false,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

beforeAll(async () => {
  ca = await createTestCa();
  client = await ca.issue('operator');
  const ports = {} as Record<Service, number>;
  for (const service of services) {
    ports[service] = await freePort();
    urls[service] = `https://127.0.0.1:${ports[service]}`;
  }
  for (const service of services) {
    const certificate = await ca.issue(service);
    const secrets = await mkdtemp(join(tmpdir(), `shipshape-${service}-secrets-`));
    dirs.push(secrets);
    await writeFile(join(secrets, 'tls.cert'), certificate.cert);
    await writeFile(join(secrets, 'tls.key'), certificate.key);
    await writeFile(join(secrets, 'tls.ca'), ca.cert);
    const child = spawn(process.execPath, [mains[service]], {
      env: {
        ...process.env,
        PORT: String(ports[service]),
        REDIS_URL: redis.url,
        SECRETS_DIR: secrets,
        TLS__ENABLED: 'true',
        LOG_LEVEL: 'warn',
        OTEL_SDK_DISABLED: 'true',
        USER_SERVICE_URL: urls.user,
        PAYMENT_SERVICE_URL: urls.payment,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
  }
  for (const service of services) {
    await waitFor(
      `${service} ready over mutual TLS`,
      async () => (await send(service, '/ready').catch(() => ({ status: 0 }))).status === 200,
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  }
}, 60_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the order flow with mutual TLS on every hop', () => {
  it('creates a user, accepts an order and pays it, order calling user and payment over mTLS', async () => {
    const user = await send('user', '/users', { email: `${crypto.randomUUID()}@example.com`, name: 'Ada' });
    expect(user.status).toBe(201);
    const order = await send('order', '/orders', {
      userId: user.body.id,
      items: [{ sku: 'book', quantity: 2, unitPriceCents: 1250 }],
    });
    expect(order.status).toBe(202);
    const id = String(order.body.id);
    let status: unknown;
    await waitFor(
      'the order to be paid',
      async () => {
        status = (await send('order', `/orders/${id}`)).body.status;
        return status !== 'pending';
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(status).toBe('paid');
    const payments = await send('payment', `/payments?orderId=${id}`);
    expect(payments.body.items).toMatchObject([{ orderId: id, amountCents: 2500, status: 'captured' }]);
  });

  it('refuses an unknown user over mTLS with 422, so the user lookup went through', async () => {
    const order = await send('order', '/orders', {
      userId: 'no-such-user',
      items: [{ sku: 'book', quantity: 1, unitPriceCents: 100 }],
    });
    expect(order).toMatchObject({ status: 422, body: { code: 'unknown_user' } });
  });
});
