import type { ClientTlsOptions } from '@shipshape/resilience/http';

/** What {@link ServiceClientTls.follow} needs of a service client (`ServiceClient` fits). */
export interface TlsFollower {
  /** The upstream's name: the identity its certificate must carry. */
  readonly service: string;
  setTls(tls: ClientTlsOptions): void;
}

/**
 * The TLS side of a service's outgoing calls, for `createServiceClient`: the service's own
 * certificate (presented to upstreams), the CA, and the upstream's expected identity = its
 * service name. Rotations reach every followed client.
 */
export interface ServiceClientTls {
  /** True when `tls.enabled`: upstream URLs must then be `https:`. */
  readonly enabled: boolean;
  /**
   * The `tls` option of `createServiceClient({ service, ... })` for calls to `service`, or
   * undefined when TLS is off (spread it: `...(tls ? { tls } : {})`).
   */
  options(service: string): ClientTlsOptions | undefined;
  /**
   * Calls `client.setTls(...)` after every certificate rotation, until disposed (the service
   * kit disposes every follower on shutdown).
   */
  follow(client: TlsFollower): { dispose(): void };
}

/** The PEM material the client side uses. */
export interface ClientMaterial {
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
}

/** Builds the `tls` option of a client of `service` from the current material. */
export function clientTlsFor(material: ClientMaterial, service: string): ClientTlsOptions {
  return { ca: material.ca, cert: material.cert, key: material.key, serverIdentity: service };
}
