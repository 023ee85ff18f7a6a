// The development PKI of the mTLS compose override (infra/mtls/generate-dev-certs.sh), run with
// this machine's openssl into a temporary folder: the certificates chain to the CA, name their
// service, serve both ends of a real mutual-TLS handshake, and rotate without a new CA.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkServerIdentity, connect, createServer, type TLSSocket } from 'node:tls';
import { skipWithoutTool } from '@shipshape/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INFRA, run } from './support/repo.ts';

const SERVICES = ['user', 'order', 'payment', 'operator'] as const;
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

const noOpenssl = skipWithoutTool('openssl', 'apt-get install openssl');
const script = join(INFRA, 'mtls', 'generate-dev-certs.sh');
let out: string;

const read = (service: string, file: string): string => readFileSync(join(out, service, file), 'utf8');
const cert = (service: string): X509Certificate => new X509Certificate(read(service, 'tls.cert'));

function generate(...args: string[]): string {
  const result = run('sh', [script, out, ...args], { timeoutMs: 60_000 });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

describe.skipIf(noOpenssl)('infra/mtls/generate-dev-certs.sh', () => {
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'shipshape-dev-pki-'));
    generate();
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it.each(SERVICES)(
    'gives %s a key-matched certificate of the CA naming it, for server and client use',
    (service) => {
      const ca = new X509Certificate(read('ca', 'ca.cert'));
      const leaf = cert(service);
      expect(leaf.verify(ca.publicKey)).toBe(true);
      expect(leaf.checkIssued(ca)).toBe(true);
      expect(leaf.subjectAltName).toBe(`DNS:${service}`);
      expect(leaf.keyUsage).toEqual(expect.arrayContaining([SERVER_AUTH, CLIENT_AUTH]));
      expect(leaf.ca).toBe(false);
      expect(leaf.checkPrivateKey(createPrivateKey(read(service, 'tls.key')))).toBe(true);
      expect(read(service, 'tls.ca')).toBe(read('ca', 'ca.cert'));
    },
  );

  it('writes one random operator token into every folder, and keys readable by their owner only', () => {
    const token = read('ca', 'admin.token').trim();
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    for (const service of SERVICES) {
      expect(read(service, 'admin.token').trim()).toBe(token);
      expect(statSync(join(out, service, 'tls.key')).mode & 0o077).toBe(0);
    }
  });

  it('carries a real mutual-TLS handshake: payment serves, order calls and is identified', async () => {
    const server = createServer(
      {
        cert: read('payment', 'tls.cert'),
        key: read('payment', 'tls.key'),
        ca: read('payment', 'tls.ca'),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (socket) =>
        socket.end(String((socket.getPeerCertificate() as { subjectaltname?: string }).subjectaltname)),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const socket: TLSSocket = connect({
        host: '127.0.0.1',
        port: (server.address() as AddressInfo).port,
        ca: read('order', 'tls.ca'),
        cert: read('order', 'tls.cert'),
        key: read('order', 'tls.key'),
        checkServerIdentity: (_host, peer) => checkServerIdentity('payment', peer),
      });
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
      await once(socket, 'end');
      expect(answer).toBe('DNS:order');
    } finally {
      server.close();
    }
  });

  it('keeps existing certificates without --rotate, and renews them under the same CA and token with it', () => {
    const before = Object.fromEntries(SERVICES.map((s) => [s, cert(s).serialNumber]));
    const caBefore = read('ca', 'ca.cert');
    const token = read('ca', 'admin.token');
    expect(generate()).toContain('certificate present');
    for (const service of SERVICES) expect(cert(service).serialNumber).toBe(before[service]);
    generate('--rotate');
    const ca = new X509Certificate(caBefore);
    for (const service of SERVICES) {
      expect(cert(service).serialNumber).not.toBe(before[service]);
      expect(cert(service).verify(ca.publicKey)).toBe(true);
      expect(read(service, 'admin.token')).toBe(token);
    }
    expect(read('ca', 'ca.cert')).toBe(caBefore);
  });
});

describe('infra/mtls/Dockerfile', () => {
  it('runs the generator as uid 1000, with the volume mount points owned by it', () => {
    const text = readFileSync(join(INFRA, 'mtls', 'Dockerfile'), 'utf8');
    expect(text).toMatch(/^USER 1000:1000$/m);
    expect(text).toContain('chown -R 1000:1000 /certs');
    for (const dir of ['ca', ...SERVICES]) expect(text).toContain(`/certs/${dir}`);
  });
});
