import {
  createServer as createHttpServer,
  type RequestListener,
  type Server as HttpServer,
  type ServerOptions,
} from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { MetricsRegistry } from '@shipshape/observability/metrics';
import { clientTlsFor, type ServiceClientTls, type TlsFollower } from './client-tls.ts';
import type { AdminSettings, TlsSettings } from './security-config.ts';
import { securityMetrics, type SecurityMetrics } from './security-metrics.ts';
import { createSecureServer, type SecureServer } from './secure-server.ts';
import { readTlsMaterial, type TlsMaterial } from './tls-material.ts';

/** The configuration snapshot part the security code reads. */
export interface SecuritySnapshot {
  readonly tls: Readonly<Omit<TlsSettings, 'allowedClients'>> & {
    readonly allowedClients: readonly string[];
  };
  readonly admin: Readonly<AdminSettings>;
}

/** What {@link ServiceSecurity} needs of the configuration (an adapter over `Config`). */
export interface SecurityConfigSource {
  get(): SecuritySnapshot;
  /** Called after every reload that changed something. */
  onChange(listener: (next: SecuritySnapshot, previous: SecuritySnapshot) => void): { dispose(): void };
}

/** What the security code logs through (pino fits). */
export interface SecurityLogger {
  info(context: object, message: string): void;
  warn(context: object, message: string): void;
}

/** Options of {@link ServiceSecurity}. */
export interface ServiceSecurityOptions {
  config: SecurityConfigSource;
  metrics: MetricsRegistry;
  logger: SecurityLogger;
}

const samePem = (a: SecuritySnapshot['tls'], b: SecuritySnapshot['tls']): boolean =>
  a.cert === b.cert && a.key === b.key && a.ca === b.ca;

/**
 * The TLS side of one service process: reads the material from the configuration (usually
 * `SECRETS_DIR`), serves it through an HTTPS server with mutual TLS, hands the same material to
 * the service clients, and rotates both when the files change — without a restart. With
 * `tls.enabled` off it only creates a plain HTTP server.
 */
export class ServiceSecurity {
  /** `tls.enabled` at startup (static). */
  readonly tlsEnabled: boolean;
  /** The TLS options for the service's clients. */
  readonly clientTls: ServiceClientTls;
  readonly #config: SecurityConfigSource;
  readonly #logger: SecurityLogger;
  readonly #metrics: SecurityMetrics;
  readonly #followers = new Set<TlsFollower>();
  readonly #subscription: { dispose(): void };
  #material: TlsMaterial | undefined;
  #secure: SecureServer | undefined;

  /** @throws TlsMaterialError when TLS is enabled and the material cannot be used */
  constructor(options: ServiceSecurityOptions) {
    this.#config = options.config;
    this.#logger = options.logger;
    this.#metrics = securityMetrics(options.metrics);
    const { tls } = options.config.get();
    this.tlsEnabled = tls.enabled;
    if (tls.enabled) {
      this.#metrics.initialize('tls');
      this.#material = readTlsMaterial(tls);
      this.#metrics.certificateExpires(this.#material.notAfter);
    }
    this.#subscription = options.config.onChange((next, previous) => {
      if (this.tlsEnabled && !samePem(next.tls, previous.tls)) this.#rotate(next.tls);
    });
    const material = (): TlsMaterial | undefined => this.#material;
    this.clientTls = {
      enabled: this.tlsEnabled,
      options: (service) => {
        const current = material();
        return current && clientTlsFor(current, service);
      },
      follow: (client) => {
        this.#followers.add(client);
        return { dispose: () => void this.#followers.delete(client) };
      },
    };
  }

  /** The identity (first DNS SAN) of the service's certificate, when TLS is on. */
  get identity(): string | undefined {
    return this.#material?.identities[0];
  }

  /**
   * The server of the service's main port, with the HTTP `options` (timeouts): HTTPS with mutual
   * TLS when `tls.enabled`, else plain
   * HTTP exactly as without this class.
   */
  createServer(listener: RequestListener, options: ServerOptions = {}): HttpServer | HttpsServer {
    if (!this.#material) return createHttpServer(options, listener);
    this.#secure = createSecureServer({
      listener,
      serverOptions: options,
      material: this.#material,
      requireClientCert: this.#config.get().tls.requireClientCert,
      allowedClients: () => this.#config.get().tls.allowedClients,
      onRefused: (reason) => this.#metrics.tlsRefused(reason),
    });
    return this.#secure.server;
  }

  /** Stops following configuration changes and forgets the followed clients. */
  close(): void {
    this.#subscription.dispose();
    this.#followers.clear();
  }

  #rotate(tls: SecuritySnapshot['tls']): void {
    let material: TlsMaterial;
    try {
      material = readTlsMaterial(tls);
    } catch (error) {
      // A half-written rotation (new certificate, old key) lands here; the next reload fixes it.
      this.#metrics.tlsReloaded('failure');
      this.#logger.warn({ err: error }, 'new TLS material rejected; the previous certificate stays in use');
      return;
    }
    this.#material = material;
    this.#secure?.setMaterial(material);
    for (const client of this.#followers) {
      try {
        client.setTls(clientTlsFor(material, client.service));
      } catch (error) {
        this.#logger.warn(
          { err: error, upstream: client.service },
          'service client refused the new TLS material',
        );
      }
    }
    this.#metrics.tlsReloaded('success');
    this.#metrics.certificateExpires(material.notAfter);
    this.#logger.info(
      { serialNumber: material.serialNumber, notAfter: material.notAfter.toISOString() },
      'TLS certificate rotated; new connections use it',
    );
  }
}
