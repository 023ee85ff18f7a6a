import { secret } from '@shipshape/config';
import * as z from 'zod';

/**
 * The `tls.*` keys. PEM texts come from `SECRETS_DIR` as the files `tls.cert`, `tls.key` and
 * `tls.ca` (or from `TLS__CERT`, …); they are secrets (redacted in `/config` and errors) and
 * reload at runtime: a change rotates the server's certificate without a restart.
 */
export const tlsConfigSchema = z
  .object({
    /**
     * Serve HTTPS and call upstreams over TLS; static. Off by default: the quick start runs
     * plain HTTP.
     */
    enabled: z.boolean().default(false),
    /**
     * Mutual TLS: a caller must present a certificate of `tls.ca`, else its connection is closed
     * after the handshake (and counted); static.
     */
    requireClientCert: z.boolean().default(true),
    /** This service's certificate (PEM, chain allowed); its first DNS SAN is its identity. */
    cert: secret(z.string().min(1)).optional(),
    /** The certificate's private key (PEM). */
    key: secret(z.string().min(1)).optional(),
    /** CA certificate(s) (PEM) that callers' and upstreams' certificates must chain to. */
    ca: secret(z.string().min(1)).optional(),
    /**
     * Caller identities (DNS SANs) allowed to connect at all; runtime. Empty: any certificate
     * of `tls.ca`.
     */
    allowedClients: z.array(z.string().min(1)).default([]),
    /**
     * A plain-HTTP listener for `/health`, `/ready` and `/metrics` only, while TLS is on: for
     * kubelet probes and Prometheus, which hold no client certificate (what a mesh's sidecar
     * does with probe rewriting). 0: none; static.
     */
    operationalPort: z.int().min(0).max(65_535).default(0),
  })
  .superRefine((tls, context) => {
    if (!tls.enabled) return;
    for (const key of ['cert', 'key', 'ca'] as const) {
      if (tls[key] === undefined) {
        context.addIssue({
          code: 'custom',
          path: [key],
          message: `required when tls.enabled is true (file tls.${key} in SECRETS_DIR)`,
        });
      }
    }
  });

/**
 * The `admin.*` keys: the operator bearer token that guards `/config` and every `/admin/*`
 * route (file `admin.token` in `SECRETS_DIR`, or `ADMIN__TOKEN`), and the explicit opt-out.
 */
export const adminConfigSchema = z.object({
  /** Operator bearer token; at least 16 characters; runtime (a new token applies at once). */
  token: secret(z.string().min(16)).optional(),
  /**
   * Serve the admin routes WITHOUT a token (local development only). Without a token and
   * without this, the admin routes answer 403: they fail closed.
   */
  open: z.boolean().default(false),
});

/** The validated `tls` settings. */
export type TlsSettings = z.output<typeof tlsConfigSchema>;

/** The validated `admin` settings. */
export type AdminSettings = z.output<typeof adminConfigSchema>;

/**
 * The security keys every service has, as a zod shape spread into `serviceConfigShape`:
 * `tls.*` and `admin.*`.
 */
export const securityConfigShape = {
  tls: tlsConfigSchema.prefault({}),
  admin: adminConfigSchema.prefault({}),
};

/** The security keys that only apply at startup. */
export const securityStaticConfigKeys = [
  'tls.enabled',
  'tls.requireClientCert',
  'tls.operationalPort',
] as const;
