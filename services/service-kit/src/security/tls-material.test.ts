import { beforeAll, describe, expect, it } from 'vitest';
import { createTestCa, type TestCa, type TestCertificate } from '@shipshape/test-harness/pki';
import { dnsNames, readTlsMaterial } from './tls-material.ts';
import { isTlsMaterialError } from './tls-material-error.ts';

let ca: TestCa;
let payment: TestCertificate;
beforeAll(async () => {
  ca = await createTestCa();
  payment = await ca.issue('payment', { extraDnsNames: ['payment.shipshape.svc'] });
});

function failure(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a TlsMaterialError');
}

describe('readTlsMaterial', () => {
  it('reads the identities, the expiry and the serial of a matching certificate and key', () => {
    const material = readTlsMaterial(payment);
    expect(material.identities).toEqual(['payment', 'payment.shipshape.svc']);
    expect(material.serialNumber.toLowerCase()).toBe(payment.serialNumber.toLowerCase());
    expect(material.notAfter.getTime()).toBeGreaterThan(Date.now());
  });

  it('refuses a key of another certificate (a half-written rotation) without quoting the key', async () => {
    const other = await ca.issue('payment');
    const error = failure(() => readTlsMaterial({ ...payment, key: other.key }));
    expect(isTlsMaterialError(error)).toBe(true);
    expect(error.message).toContain('tls.key does not belong to tls.cert');
    const keyBody = other.key.split('\n')[1]!;
    expect(JSON.stringify({ message: error.message, cause: String(error.cause) })).not.toContain(keyBody);
  });

  it('names the setting that does not parse', () => {
    expect(failure(() => readTlsMaterial({ ...payment, cert: 'nope' })).message).toBe(
      'tls.cert is not a PEM certificate',
    );
    expect(failure(() => readTlsMaterial({ ...payment, ca: 'nope' })).message).toBe(
      'tls.ca is not a PEM certificate',
    );
    expect(failure(() => readTlsMaterial({ ...payment, key: 'nope' })).message).toBe(
      'tls.key is not a PEM private key',
    );
    expect(
      failure(() => readTlsMaterial({ cert: payment.cert, key: payment.key, ca: undefined })).message,
    ).toContain('all required');
  });
});

describe('dnsNames', () => {
  it('keeps only DNS entries of a subjectAltName text', () => {
    expect(dnsNames('DNS:order, IP Address:10.0.0.1, DNS:order.svc, URI:spiffe://x')).toEqual([
      'order',
      'order.svc',
    ]);
    expect(dnsNames(undefined)).toEqual([]);
  });
});
