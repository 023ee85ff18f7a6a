// Container hardening of EVERY compose container (compose.test.ts checks the three services'
// posture; this covers Redis, Jaeger, Prometheus, Grafana, the load generator and the mTLS
// override's certs container too), and the wiring of the mutual-TLS override.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { skipWithoutTool } from '@shipshape/test-harness';
import { readText, readYaml, run } from './support/repo.ts';

interface ComposeService {
  image?: string;
  user?: string;
  read_only?: boolean;
  tmpfs?: string[];
  security_opt?: string[];
  cap_drop?: string[];
  cap_add?: string[];
  privileged?: boolean;
  network_mode?: string;
  pid?: string;
  ipc?: string;
  volumes?: (string | { source?: string; target?: string; read_only?: boolean })[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  profiles?: string[];
}

type Compose = { services: Record<string, ComposeService> };

const base = readYaml<Compose>('docker-compose.yml');
const override = readYaml<Compose>('docker-compose.mtls.yml');
const APP = ['user', 'order', 'payment'] as const;

/**
 * Containers whose root filesystem stays writable, with the reason (also in the compose file).
 * Everything else must be read-only.
 */
const WRITABLE_ROOT: Record<string, string> = {
  load: '`npm run load` rebuilds through turbo, which writes its cache and task logs in the workspace',
};

// Needs Debian's docker-compose for the merged view: skipped on a machine without it, never in CI.
const noCompose = skipWithoutTool('docker-compose', 'apt-get install docker-compose');
const merged = noCompose
  ? undefined
  : (parse(
      run('docker-compose', ['-f', 'docker-compose.yml', '-f', 'docker-compose.mtls.yml', 'config']).stdout,
    ) as Compose);

function expectHardened(name: string, service: ComposeService): void {
  const uid = /^(\d+)(?::\d+)?$/.exec(service.user ?? '')?.[1];
  expect(uid, `${name}: user must be a numeric uid, not root`).toBeDefined();
  expect(Number(uid), `${name}: uid 0 is root`).toBeGreaterThan(0);
  expect(service.cap_drop, name).toEqual(['ALL']);
  expect(service.cap_add ?? [], name).toEqual([]);
  expect(service.security_opt, name).toContain('no-new-privileges:true');
  expect(service.privileged ?? false, name).toBe(false);
  for (const namespace of [service.network_mode, service.pid, service.ipc])
    expect(namespace, name).not.toBe('host');
  const mounts = (service.volumes ?? []).map((v) => (typeof v === 'string' ? v : `${v.source}:${v.target}`));
  for (const mount of mounts) expect(mount, `${name} mounts the Docker socket`).not.toContain('docker.sock');
  if (name in WRITABLE_ROOT) {
    expect(service.read_only ?? false, `${name} is a documented exception`).toBe(false);
  } else {
    expect(service.read_only, `${name}: read-only root filesystem`).toBe(true);
  }
  expect(
    service.tmpfs?.some((mount) => mount.startsWith('/tmp')),
    `${name}: an explicit writable /tmp`,
  ).toBe(true);
}

describe('every compose container is hardened', () => {
  it.each(Object.entries(base.services))('%s in docker-compose.yml', (name, service) => {
    expectHardened(name, service);
  });

  it('documents each writable-root exception in the compose file itself', () => {
    const text = readText('docker-compose.yml');
    for (const name of Object.keys(WRITABLE_ROOT)) {
      expect(base.services[name], name).toBeDefined();
      expect(text).toMatch(/root filesystem\s+# stays writable/);
    }
  });

  it.each(Object.entries(override.services).filter(([name]) => !(name in base.services)))(
    '%s added by docker-compose.mtls.yml',
    (name, service) => expectHardened(name, service),
  );

  it.skipIf(noCompose)('every container of the merged mTLS system', () => {
    for (const [name, service] of Object.entries(merged!.services)) expectHardened(name, service);
  });
});

describe('docker-compose.mtls.yml', () => {
  it.skipIf(noCompose)('passes docker-compose config -q on top of docker-compose.yml', () => {
    const result = run('docker-compose', [
      '-f',
      'docker-compose.yml',
      '-f',
      'docker-compose.mtls.yml',
      'config',
      '-q',
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('leaves the default system on plain HTTP with a development admin token', () => {
    for (const name of APP) {
      const env = base.services[name]!.environment ?? {};
      expect(env['TLS__ENABLED'], name).toBeUndefined();
      expect(env['ADMIN__TOKEN'], name).toBe('${SHIPSHAPE_ADMIN_TOKEN:-shipshape-dev-admin-token}');
    }
    expect(base.services.certs).toBeUndefined();
  });

  it.each(APP)(
    'turns mutual TLS on for %s with its own certificate volume, read-only, after the certs container',
    (name) => {
      const service = override.services[name]!;
      expect(service.environment).toMatchObject({
        TLS__ENABLED: 'true',
        TLS__OPERATIONAL_PORT: '8081',
        SECRETS_DIR: '/etc/shipshape/secrets',
        ADMIN__TOKEN: '',
      });
      expect(service.volumes).toEqual([`certs-${name}:/etc/shipshape/secrets:ro`]);
      expect(service.depends_on?.['certs']).toEqual({ condition: 'service_completed_successfully' });
      expect(service.healthcheck?.test.join(' ')).toContain('http://127.0.0.1:8081/health');
    },
  );

  it('gives the certs container every certificate volume and order https upstream URLs', () => {
    const mounts = override.services.certs!.volumes as string[];
    for (const name of [...APP, 'ca', 'operator']) expect(mounts).toContain(`certs-${name}:/certs/${name}`);
    expect(override.services.order!.environment).toMatchObject({
      USER_SERVICE_URL: 'https://user:3001',
      PAYMENT_SERVICE_URL: 'https://payment:3003',
    });
    expect(override.services.prometheus!.volumes).toEqual([
      './infra/mtls/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
    ]);
  });

  it('keeps the operator identity copied to .certs out of git and out of every image build context', () => {
    expect(readText('.gitignore').split('\n')).toContain('.certs/');
    expect(readText('.dockerignore').split('\n')).toContain('.certs');
  });

  it('scrapes the services on their plain operational port, otherwise like prometheus.yml', () => {
    type Scrape = { job_name: string; dns_sd_configs?: { names: string[]; port: number }[] };
    const plain = readYaml<{ scrape_configs: Scrape[] }>('infra/prometheus/prometheus.yml');
    const mtls = readYaml<{ scrape_configs: Scrape[] }>('infra/mtls/prometheus.yml');
    const expected = structuredClone(plain);
    for (const job of expected.scrape_configs) {
      if ((APP as readonly string[]).includes(job.job_name))
        for (const sd of job.dns_sd_configs ?? []) sd.port = 8081;
    }
    expect(mtls).toEqual(expected);
  });
});
