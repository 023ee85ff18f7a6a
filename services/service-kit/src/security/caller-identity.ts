import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { dnsNames } from './tls-material.ts';

/** Who is calling, as proven by the client certificate of the connection. */
export interface CallerIdentity {
  /** Every DNS SAN of the verified client certificate (`['order']`). */
  readonly names: readonly string[];
  /** The certificate's serial number (hex). */
  readonly serialNumber: string;
}

// Filled by the secure server when it admits a connection: a connection's identity never
// changes (renegotiation is refused), so it is read once per connection, not per request.
const identities = new WeakMap<object, CallerIdentity>();

/** Records the identity of an admitted connection (the secure server calls it). */
export function rememberCallerIdentity(socket: TLSSocket, identity: CallerIdentity): void {
  identities.set(socket, identity);
}

/** Reads the verified identity of a TLS socket, or undefined when it has none. */
export function readCallerIdentity(socket: TLSSocket): CallerIdentity | undefined {
  if (!socket.authorized) return undefined;
  const peer = socket.getPeerCertificate();
  const names = dnsNames(peer.subjectaltname);
  if (names.length === 0) return undefined;
  return { names, serialNumber: peer.serialNumber };
}

/**
 * The caller's identity on this request's connection: the DNS SANs of the client certificate
 * the secure server verified. Undefined on plain HTTP, and on TLS without a (valid) client
 * certificate. Express route handlers can use it for their own decisions.
 */
export function callerIdentity(req: IncomingMessage): CallerIdentity | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  if (socket.encrypted !== true) return undefined;
  const known = identities.get(socket);
  if (known) return known;
  const read = readCallerIdentity(socket as TLSSocket);
  if (read) identities.set(socket, read);
  return read;
}
