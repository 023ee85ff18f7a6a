import { request } from 'node:https';
import { createTestCa, type TestCa, type TestCertificate } from '@shipshape/test-harness/pki';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useApp } from './testing/start-app.test-helper.ts';

const redis = useRedisServer();
const startApp = useApp(() => redis.url);

let ca: TestCa;
let payment: TestCertificate;
let order: TestCertificate;
let user: TestCertificate;
beforeAll(async () => {
  ca = await createTestCa();
  [payment, order, user] = await Promise.all([ca.issue('payment'), ca.issue('order'), ca.issue('user')]);
});

/** POST /payments over mutual TLS as `caller`; the answer's status and problem code. */
function charge(url: string, caller: TestCertificate): Promise<{ status: number; code?: string }> {
  const body = JSON.stringify({ orderId: `order-${crypto.randomUUID()}`, amountCents: 100, currency: 'EUR' });
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/payments`,
      {
        method: 'POST',
        ca: ca.cert,
        cert: caller.cert,
        key: caller.key,
        servername: 'payment',
        agent: false,
        headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, code: (JSON.parse(text) as { code?: string }).code }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('caller rule of POST /payments with mutual TLS on', () => {
  it('charges for the order service and answers 403 forbidden to any other service', async () => {
    const { url } = await startApp({
      values: { tls: { enabled: true, cert: payment.cert, key: payment.key, ca: ca.cert } },
    });
    expect(url).toMatch(/^https:/);
    expect(await charge(url, order)).toEqual({ status: 201, code: undefined });
    expect(await charge(url, user)).toEqual({ status: 403, code: 'forbidden' });
  });
});
