import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { buildConnector } from 'undici';

/** PEM text (or its bytes). */
export type Pem = string | Buffer;

/**
 * TLS settings of a service client: the CA the upstream's certificate must chain to, the
 * identity it must carry, and (for mutual TLS) the certificate the client presents.
 */
export interface ClientTlsOptions {
  /**
   * CA certificate(s) the upstream's certificate must chain to (PEM).
   * @default Node's bundled root certificates
   */
  ca?: Pem | readonly Pem[];
  /**
   * Certificate (chain) the client presents to the upstream (PEM), for mutual TLS; needs `key`.
   * @default none: no client certificate
   */
  cert?: Pem;
  /**
   * Private key of `cert` (PEM).
   * @default none
   */
  key?: Pem;
  /**
   * DNS name the upstream's certificate must carry as a subject alternative name, whatever
   * address or hostname was dialled: with client-side balancing the client connects to pod or
   * container IPs, so the identity check cannot come from the URL.
   * @default the client's `service` (`user`, `payment`)
   */
  serverIdentity?: string;
}

/** Throws a RangeError naming the problem unless `tls` is usable with these endpoint protocols. */
export function validateClientTls(tls: ClientTlsOptions, protocols: readonly string[]): void {
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    throw new RangeError('tls.cert and tls.key must be given together');
  }
  if (
    tls.serverIdentity !== undefined &&
    (typeof tls.serverIdentity !== 'string' || tls.serverIdentity === '')
  ) {
    throw new RangeError(
      `tls.serverIdentity must be a non-empty string, got ${JSON.stringify(tls.serverIdentity)}`,
    );
  }
  // A plain-HTTP endpoint next to TLS settings would silently send the traffic in clear.
  const plain = protocols.find((protocol) => protocol !== 'https:');
  if (plain !== undefined) {
    throw new RangeError(`tls is set, so every endpoint must be https:, got ${plain}`);
  }
}

/**
 * The undici connector of a TLS service client, whose material can be replaced while the client
 * runs: every connection opened after `update` uses the new material (the client also renews its
 * pools, so old connections retire as soon as their requests finished). A new connector also
 * starts a new TLS session cache: no session of the old material is resumed.
 */
export class RotatingTlsConnector {
  readonly #service: string;
  readonly #connectTimeoutMs: number;
  #current: buildConnector.connector;

  constructor(service: string, tls: ClientTlsOptions, connectTimeoutMs: number) {
    this.#service = service;
    this.#connectTimeoutMs = connectTimeoutMs;
    this.#current = this.#build(tls);
  }

  /** The function handed to each endpoint's undici Pool as its `connect` option. */
  readonly connect: buildConnector.connector = (options, callback) => {
    this.#current(options, callback);
  };

  /** Uses `tls` for every connection opened from now on. */
  update(tls: ClientTlsOptions): void {
    this.#current = this.#build(tls);
  }

  #build(tls: ClientTlsOptions): buildConnector.connector {
    const identity = tls.serverIdentity ?? this.#service;
    return buildConnector({
      timeout: this.#connectTimeoutMs,
      allowH2: false,
      rejectUnauthorized: true,
      // SNI names the service, not the dialled IP (which SNI cannot carry).
      servername: identity,
      checkServerIdentity: (_host: string, cert: PeerCertificate) => checkServerIdentity(identity, cert),
      ...(tls.ca === undefined
        ? {}
        : { ca: Array.isArray(tls.ca) ? [...(tls.ca as Pem[])] : (tls.ca as Pem) }),
      ...(tls.cert === undefined ? {} : { cert: tls.cert }),
      ...(tls.key === undefined ? {} : { key: tls.key }),
    });
  }
}
