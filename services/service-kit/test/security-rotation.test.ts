// Certificate rotation without restart: new files in SECRETS_DIR reach the running server through
// the configuration's watcher; new connections get the new certificate, open ones keep theirs,
// and a broken rotation is refused (and counted) while the previous certificate stays in use.
import { waitFor } from '@shipshape/test-harness';
import { beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_METRIC } from '../src/security/names.ts';
import { createTestCa, type TestCa, type TestCertificate } from '@shipshape/test-harness/pki';
import { call, secretsDir, startSecureApp, tlsAgent, writeSecrets, type Echo } from './support/secure-app.ts';

let ca: TestCa;
let payment: TestCertificate;
let order: TestCertificate;
beforeAll(async () => {
  ca = await createTestCa();
  [payment, order] = await Promise.all([ca.issue('payment'), ca.issue('order')]);
});

const hex = (serial: string | null | undefined): string => (serial ?? '').toLowerCase().replace(/^0+/, '');

async function echoOf(result: Awaited<ReturnType<typeof call>>): Promise<Echo> {
  if ('error' in result) throw new Error(`request failed: ${result.error}`);
  expect(result.status).toBe(200);
  return Promise.resolve(result.body);
}

describe('certificate rotation', () => {
  it('serves a rotated certificate to new connections while open connections keep theirs', async () => {
    const dir = secretsDir(payment);
    const app = await startSecureApp(dir);
    const kept = tlsAgent({ ca: ca.cert, cert: order });
    const before = await echoOf(await call(kept, `${app.url}/payments/1`));
    expect(hex(before.serverSerial)).toBe(hex(payment.serialNumber));

    const renewed = await ca.issue('payment', { validForMs: 2 * 86_400_000 });
    writeSecrets(dir, { 'tls.key': renewed.key, 'tls.cert': renewed.cert });
    await waitFor('the rotation to apply', async () => {
      return (await app.metric(SECURITY_METRIC.tlsReloads, 'outcome="success"')) === 1;
    });

    const sameConnection = await echoOf(await call(kept, `${app.url}/payments/2`));
    expect(sameConnection.connection).toBe(before.connection);
    expect(hex(sameConnection.serverSerial)).toBe(hex(payment.serialNumber));

    const fresh = await echoOf(await call(tlsAgent({ ca: ca.cert, cert: order }), `${app.url}/payments/3`));
    expect(fresh.connection).not.toBe(before.connection);
    expect(hex(fresh.serverSerial)).toBe(hex(renewed.serialNumber));
    const expiry = await app.metric(SECURITY_METRIC.certificateExpiry, 'service="payment"');
    expect(expiry).toBeGreaterThan(Date.now() / 1000 + 86_400);
  });

  it('refuses a certificate that does not match the key, keeps serving the previous one, and counts the failure', async () => {
    const dir = secretsDir(payment);
    const app = await startSecureApp(dir);
    const other = await ca.issue('payment');
    writeSecrets(dir, { 'tls.cert': other.cert });
    await waitFor('the rejected rotation', async () => {
      return (await app.metric(SECURITY_METRIC.tlsReloads, 'outcome="failure"')) === 1;
    });
    const served = await echoOf(await call(tlsAgent({ ca: ca.cert, cert: order }), `${app.url}/payments/1`));
    expect(hex(served.serverSerial)).toBe(hex(payment.serialNumber));
    // Writing the matching key completes the rotation.
    writeSecrets(dir, { 'tls.key': other.key });
    await waitFor('the completed rotation', async () => {
      return (await app.metric(SECURITY_METRIC.tlsReloads, 'outcome="success"')) === 1;
    });
    const next = await echoOf(await call(tlsAgent({ ca: ca.cert, cert: order }), `${app.url}/payments/2`));
    expect(hex(next.serverSerial)).toBe(hex(other.serialNumber));
  });

  it('trusts a rotated CA for callers from the next connection on', async () => {
    const dir = secretsDir(payment);
    const app = await startSecureApp(dir);
    const nextCa = await createTestCa('Next CA');
    const [nextPayment, nextOrder] = await Promise.all([nextCa.issue('payment'), nextCa.issue('order')]);
    expect(await call(tlsAgent({ ca: ca.cert, cert: nextOrder }), `${app.url}/payments/1`)).toHaveProperty(
      'error',
    );
    writeSecrets(dir, { 'tls.key': nextPayment.key, 'tls.cert': nextPayment.cert, 'tls.ca': nextCa.cert });
    await waitFor('the CA rotation', async () => {
      return (await app.metric(SECURITY_METRIC.tlsReloads, 'outcome="success"')) === 1;
    });
    const admitted = await call(tlsAgent({ ca: nextCa.cert, cert: nextOrder }), `${app.url}/payments/2`);
    expect(admitted).toMatchObject({ status: 200, body: { caller: 'order' } });
  });
});
