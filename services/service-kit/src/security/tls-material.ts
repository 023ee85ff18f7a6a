import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { TlsSettings } from './security-config.ts';
import { TlsMaterialError } from './tls-material-error.ts';

/** Checked PEM material of one service: what the server and the service clients use. */
export interface TlsMaterial {
  /** The certificate chain (PEM), leaf first. */
  readonly cert: string;
  /** Its private key (PEM). */
  readonly key: string;
  /** The trusted CA certificate(s) (PEM). */
  readonly ca: string;
  /** The DNS SANs of the leaf certificate; the first is the service's identity. */
  readonly identities: readonly string[];
  /** The leaf certificate's expiry. */
  readonly notAfter: Date;
  /** The leaf certificate's serial number (hex), to log which certificate is in use. */
  readonly serialNumber: string;
}

/** The DNS names of an X.509 `subjectAltName` text (`DNS:order, IP Address:10.0.0.1`). */
export function dnsNames(subjectAltName: string | undefined): string[] {
  if (!subjectAltName) return [];
  return subjectAltName
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice(4));
}

function parseCertificate(pem: string, what: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (error) {
    throw new TlsMaterialError(`${what} is not a PEM certificate`, { cause: error });
  }
}

/**
 * Parses and cross-checks the `tls.*` PEM settings: the certificate and the CA parse, the key
 * belongs to the certificate, the certificate carries a DNS identity. A rotation written as
 * two files (certificate, then key) is thereby seen as one invalid state, then one valid one,
 * never applied half-way.
 * @throws TlsMaterialError naming what is wrong (never quoting key material)
 */
export function readTlsMaterial(settings: Pick<TlsSettings, 'cert' | 'key' | 'ca'>): TlsMaterial {
  const { cert, key, ca } = settings;
  if (cert === undefined || key === undefined || ca === undefined) {
    throw new TlsMaterialError('tls.cert, tls.key and tls.ca are all required');
  }
  const leaf = parseCertificate(cert, 'tls.cert');
  parseCertificate(ca, 'tls.ca');
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch (error) {
    // The cause of a PEM decoding error holds no key bytes, only OpenSSL's reason.
    throw new TlsMaterialError('tls.key is not a PEM private key', { cause: error });
  }
  if (!leaf.checkPrivateKey(privateKey)) {
    throw new TlsMaterialError(`tls.key does not belong to tls.cert (serial ${leaf.serialNumber})`);
  }
  const identities = dnsNames(leaf.subjectAltName);
  if (identities.length === 0) {
    throw new TlsMaterialError(`tls.cert (serial ${leaf.serialNumber}) has no DNS subject alternative name`);
  }
  return {
    cert,
    key,
    ca,
    identities,
    notAfter: new Date(leaf.validTo),
    serialNumber: leaf.serialNumber,
  };
}
