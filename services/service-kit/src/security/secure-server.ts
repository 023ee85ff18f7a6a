import type { RequestListener, ServerOptions } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { readCallerIdentity, rememberCallerIdentity } from './caller-identity.ts';
import type { TlsRefusalReason } from './names.ts';
import type { TlsMaterial } from './tls-material.ts';

/** Options of {@link createSecureServer}. */
export interface SecureServerOptions {
  /** The app (an express app fits). */
  listener: RequestListener;
  /** The material the server starts with. */
  material: TlsMaterial;
  /** Mutual TLS: close connections without a certificate of the CA. */
  requireClientCert: boolean;
  /**
   * Identities allowed to connect, read per connection (so a configuration change applies to
   * the next connection); empty: any certificate of the CA.
   */
  allowedClients: () => readonly string[];
  /** Called once per refused connection, before it is closed. */
  onRefused: (reason: TlsRefusalReason, error?: Error) => void;
  /**
   * Longest TLS handshake, in ms; a slower client is disconnected (and counted).
   * @default 10000
   */
  handshakeTimeoutMs?: number;
  /**
   * HTTP options of the server (timeouts, see `httpServerOptions`).
   * @default {} (Node's defaults)
   */
  serverOptions?: ServerOptions;
}

/** An HTTPS server whose certificate, key and CA can be replaced while it runs. */
export interface SecureServer {
  readonly server: Server;
  /**
   * Serves `material` to every connection accepted from now on (`server.setSecureContext`);
   * connections already open keep the context they were made with.
   */
  setMaterial(material: TlsMaterial): void;
}

const expiredErrors = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

/** Why a handshake that completed must not reach the app, or undefined to admit it. */
function refusal(
  socket: TLSSocket,
  requireClientCert: boolean,
  allowed: readonly string[],
): TlsRefusalReason | undefined {
  if (!requireClientCert) return undefined;
  if (!socket.authorized) {
    const peer = socket.getPeerCertificate();
    if (Object.keys(peer).length === 0) return 'no_certificate';
    const code = String(socket.authorizationError ?? '');
    return expiredErrors.has(code) ? 'expired_certificate' : 'untrusted_certificate';
  }
  const identity = readCallerIdentity(socket);
  if (!identity) return 'untrusted_certificate';
  if (allowed.length > 0 && !identity.names.some((name) => allowed.includes(name))) {
    return 'identity_not_allowed';
  }
  rememberCallerIdentity(socket, identity);
  return undefined;
}

/**
 * Creates an HTTPS server for mutual TLS. The handshake asks for a client certificate
 * (`requestCert`) but leaves the verdict to this server (`rejectUnauthorized: false`): Node's
 * own rejection closes the socket silently, while here every refusal — no certificate, another
 * CA, expired, an identity outside `allowedClients` — is reported to `onRefused` and the
 * connection is closed before the app sees a byte of it. Handshakes that fail outright
 * (`tlsClientError`) are reported as `handshake_failed`. Renegotiation is disabled, so the
 * identity proven at the handshake holds for the whole connection.
 */
export function createSecureServer(options: SecureServerOptions): SecureServer {
  const { material, requireClientCert } = options;
  const server = createServer(
    {
      ...options.serverOptions,
      cert: material.cert,
      key: material.key,
      ca: material.ca,
      requestCert: requireClientCert,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
      handshakeTimeout: options.handshakeTimeoutMs ?? 10_000,
    },
    options.listener,
  );
  // The HTTP layer starts on 'secureConnection'; it runs only for admitted sockets.
  const httpListeners = server.listeners('secureConnection') as ((socket: TLSSocket) => void)[];
  server.removeAllListeners('secureConnection');
  server.on('secureConnection', (socket: TLSSocket) => {
    socket.disableRenegotiation();
    const reason = refusal(socket, requireClientCert, options.allowedClients());
    if (reason !== undefined) {
      options.onRefused(reason);
      socket.destroy();
      return;
    }
    for (const listener of httpListeners) listener.call(server, socket);
  });
  server.on('tlsClientError', (error) => options.onRefused('handshake_failed', error));
  return {
    server,
    setMaterial: (next) => server.setSecureContext({ cert: next.cert, key: next.key, ca: next.ca }),
  };
}
