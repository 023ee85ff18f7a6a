// A service app on the kit's skeleton, served by ServiceSecurity with its TLS material read from a
// real SECRETS_DIR (temporary folder, watched), plus clients with certificates of the test CA.
import { once } from 'node:events';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { loadConfig, type Config } from '@shipshape/config';
import { createHealth } from '@shipshape/observability/health';
import { createLogger } from '@shipshape/observability/logging';
import { MetricsRegistry } from '@shipshape/observability/metrics';
import express from 'express';
import { Agent, request } from 'undici';
import { afterEach } from 'vitest';
import * as z from 'zod';
import { serviceConfigShape } from '../../src/config/service-config.ts';
import { createServiceApp } from '../../src/http/service-app.ts';
import { callerIdentity } from '../../src/security/caller-identity.ts';
import { securityConfigSource } from '../../src/security/config-source.ts';
import { ServiceSecurity } from '../../src/security/service-security.ts';
import type { TestCertificate } from '@shipshape/test-harness/pki';

export const schema = z.object(serviceConfigShape({ port: 0 }));

/** What the echo routes answer: who called, and which server certificate this connection uses. */
export interface Echo {
  caller: string | null;
  clientSerial: string | null;
  serverSerial: string | null;
  connection: number;
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A SECRETS_DIR holding one certificate as `tls.cert`, `tls.key`, `tls.ca` (+ extra files). */
export function secretsDir(cert: TestCertificate, extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-secrets-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  writeSecrets(dir, { 'tls.cert': cert.cert, 'tls.key': cert.key, 'tls.ca': cert.ca, ...extra });
  return dir;
}

/** Writes files the way a secret store does: each to a temporary name, then renamed over. */
export function writeSecrets(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, `.${name}.tmp`), content);
    renameSync(join(dir, `.${name}.tmp`), join(dir, name));
  }
}

/** Loads the kit's config shape from a SECRETS_DIR and more env, TLS on; closed after the test. */
export async function secureConfig(
  dir: string,
  env: Record<string, string> = {},
): Promise<Config<typeof schema>> {
  const config = await loadConfig({
    schema,
    env: { SECRETS_DIR: dir, TLS__ENABLED: 'true', ...env },
    debounceMs: 20,
  });
  cleanups.push(() => config.close());
  return config;
}

/** A running secure app: `POST /payments` (only `order` may call it) and `GET /payments/:id`. */
export interface SecureApp {
  url: string;
  port: number;
  metrics: MetricsRegistry;
  security: ServiceSecurity;
  config: Config<typeof schema>;
  /** Requests that reached a route handler. */
  handled: number;
  /** The value of one series in the registry's text exposition (0 when absent). */
  metric(name: string, labels: string): Promise<number>;
}

/** Starts the app on 127.0.0.1:0 with the material in `dir`. */
export async function startSecureApp(dir: string, env: Record<string, string> = {}): Promise<SecureApp> {
  const config = await secureConfig(dir, env);
  const metrics = new MetricsRegistry({ service: 'payment', defaultMetrics: false });
  const logger = createLogger({ service: 'payment', level: 'silent' });
  const connections = new WeakMap<object, number>();
  let connectionCount = 0;
  const state = { handled: 0 };
  const echo = (req: express.Request): Echo => {
    const socket = req.socket as TLSSocket;
    if (!connections.has(socket)) connections.set(socket, ++connectionCount);
    const identity = callerIdentity(req);
    return {
      caller: identity?.names[0] ?? null,
      clientSerial: identity?.serialNumber ?? null,
      serverSerial: (socket.getCertificate() as { serialNumber?: string } | null)?.serialNumber ?? null,
      connection: connections.get(socket)!,
    };
  };
  const app = createServiceApp({
    config,
    metrics,
    logger,
    health: createHealth({ checks: {} }),
    openApi: {},
    callers: { 'POST /payments': ['order'] },
    routes: () =>
      express
        .Router()
        .post('/payments', (req, res) => {
          state.handled += 1;
          res.status(201).json(echo(req));
        })
        .get('/payments/:id', (req, res) => {
          state.handled += 1;
          res.json(echo(req));
        }),
    mapError: () => undefined,
  });
  const security = new ServiceSecurity({ config: securityConfigSource(config), metrics, logger });
  cleanups.push(() => security.close());
  const server = security.createServer(app) as Server;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => {
    server.closeAllConnections();
    server.close();
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    metrics,
    security,
    config,
    get handled() {
      return state.handled;
    },
    async metric(name, labels) {
      const text = await metrics.render('prometheus');
      const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
      return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
    },
  };
}

/** TLS settings of a test client: trusts `ca`, expects the server to be `payment`, presents `cert`. */
export interface ClientCredentials {
  ca: string;
  cert?: TestCertificate;
}

/** A keep-alive client (one undici Agent), closed after the test. */
export function tlsAgent({ ca, cert }: ClientCredentials): Agent {
  const agent = new Agent({
    connect: {
      ca,
      servername: 'payment',
      ...(cert ? { cert: cert.cert, key: cert.key } : {}),
    },
  });
  cleanups.push(() => agent.close());
  return agent;
}

/** One request through `agent`: the status and parsed body, or the transport error's code. */
export async function call(
  agent: Agent,
  url: string,
  method = 'GET',
): Promise<{ status: number; body: Echo & { code?: string } } | { error: string }> {
  try {
    const response = await request(url, {
      dispatcher: agent,
      method: method as 'GET',
      ...(method === 'POST' ? { body: '{}', headers: { 'content-type': 'application/json' } } : {}),
    });
    return { status: response.statusCode, body: (await response.body.json()) as Echo & { code?: string } };
  } catch (error) {
    const { code, cause } = error as { code?: string; cause?: { code?: string } };
    return { error: code ?? cause?.code ?? String(error) };
  }
}
