/**
 * A throwaway certificate authority for tests: a CA and leaf certificates made in memory by
 * `@peculiar/x509` on Node's WebCrypto (`globalThis.crypto`, ECDSA P-256), never keys checked into the repository.
 * Import it from `@shipshape/test-harness/pki` (a separate entry: the library registers
 * `reflect-metadata` globals, which other tests should not load for nothing). Packages' tests use it
 * too: the harness is a dev dependency only, never part of a package's runtime.
 */
import 'reflect-metadata';
import { KeyObject, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const dayMs = 86_400_000;

/** PEM material of one identity, in the shape the service kit's `tls.*` settings take. */
export interface TestCertificate {
  /** The leaf certificate (PEM). */
  readonly cert: string;
  /** Its PKCS #8 private key (PEM). */
  readonly key: string;
  /** The issuing CA's certificate (PEM): what peers trust. */
  readonly ca: string;
  /** The first DNS subject alternative name: the identity peers check. */
  readonly identity: string;
  /** The certificate's serial number (hex), to tell two certificates of one identity apart. */
  readonly serialNumber: string;
}

/** Options of {@link TestCa.issue}. */
export interface IssueOptions {
  /**
   * DNS subject alternative names after the identity.
   * @default []
   */
  extraDnsNames?: readonly string[];
  /**
   * Validity end, as ms from now (negative: already expired).
   * @default 1 day
   */
  validForMs?: number;
  /**
   * Extended key usages.
   * @default both: 'server' and 'client' (one certificate per service serves and calls)
   */
  usages?: readonly ('server' | 'client')[];
}

/** A CA that issues leaf certificates. */
export interface TestCa {
  /** The CA certificate (PEM). */
  readonly cert: string;
  /** Issues a leaf certificate whose first DNS SAN (and CN) is `identity`. */
  issue(identity: string, options?: IssueOptions): Promise<TestCertificate>;
}

async function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
}

function keyPem(key: webcrypto.CryptoKey): string {
  return KeyObject.from(key).export({ type: 'pkcs8', format: 'pem' }) as string;
}

/** Creates a self-signed CA, valid from an hour ago for a day. */
export async function createTestCa(name = 'Shipshape Test CA'): Promise<TestCa> {
  const keys = await generateKeys();
  const now = Date.now();
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${name}`,
    notBefore: new Date(now - 3_600_000),
    notAfter: new Date(now + dayMs),
    signingAlgorithm: algorithm,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const caPem = caCert.toString('pem');
  return {
    cert: caPem,
    async issue(identity, options = {}) {
      const leafKeys = await generateKeys();
      const usages = options.usages ?? ['server', 'client'];
      const cert = await x509.X509CertificateGenerator.create({
        subject: `CN=${identity}`,
        issuer: caCert.subject,
        notBefore: new Date(now - 3_600_000),
        notAfter: new Date(Date.now() + (options.validForMs ?? dayMs)),
        signingAlgorithm: algorithm,
        publicKey: leafKeys.publicKey,
        signingKey: keys.privateKey,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension(
            usages.map((usage) =>
              usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth,
            ),
          ),
          new x509.SubjectAlternativeNameExtension(
            [identity, ...(options.extraDnsNames ?? [])].map((value) => ({ type: 'dns' as const, value })),
          ),
          await x509.AuthorityKeyIdentifierExtension.create(keys.publicKey),
        ],
      });
      return {
        cert: cert.toString('pem'),
        key: keyPem(leafKeys.privateKey),
        ca: caPem,
        identity,
        serialNumber: cert.serialNumber,
      };
    },
  };
}
