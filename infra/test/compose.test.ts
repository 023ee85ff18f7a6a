import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readText, readYaml, run } from './support/repo.ts';
import { skipWithoutTool } from '@shipshape/test-harness';

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string; target?: string; args?: Record<string, string> };
  user?: string;
  read_only?: boolean;
  tmpfs?: string[];
  security_opt?: string[];
  cap_drop?: string[];
  restart?: string;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  ports?: string[];
  container_name?: string;
  command?: string | string[];
  volumes?: string[];
  profiles?: string[];
  deploy?: { resources?: { limits?: { memory?: string } } };
}

const compose = readYaml<{ services: Record<string, ComposeService> }>('docker-compose.yml');
const services = compose.services;
const APP = { user: '3001', order: '3002', payment: '3003' } as const;
const app = Object.entries(APP) as [keyof typeof APP, string][];

function memoryMiB(service: ComposeService): number {
  const limit = service.deploy?.resources?.limits?.memory;
  const match = /^(\d+)([MG])$/.exec(limit ?? '');
  if (!match) throw new Error(`memory limit ${String(limit)} is not <n>M or <n>G`);
  return Number(match[1]) * (match[2] === 'G' ? 1024 : 1);
}

// Needs Debian's docker-compose: skipped with a reason on a machine without it, never in CI.
const noCompose = skipWithoutTool('docker-compose', 'apt-get install docker-compose');

describe('docker-compose.yml', () => {
  it.skipIf(noCompose)('passes docker-compose config -q', () => {
    const result = run('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.skipIf(noCompose)(
    'fails docker-compose config -q when a key is misspelt, so the check above can fail',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'shipshape-compose-'));
      writeFileSync(
        join(dir, 'docker-compose.yml'),
        'services:\n  web:\n    image: redis\n    helthcheck: {}\n',
      );
      const result = run('docker-compose', ['-f', join(dir, 'docker-compose.yml'), 'config', '-q']);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain('helthcheck');
    },
  );

  it('starts redis, the three services, jaeger, prometheus and grafana, and the load generator only under its profile', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['grafana', 'jaeger', 'load', 'order', 'payment', 'prometheus', 'redis', 'user'].sort(),
    );
    const withoutProfile = Object.entries(services).filter(([, service]) => service.profiles === undefined);
    expect(withoutProfile.map(([name]) => name)).not.toContain('load');
    expect(services.load!.profiles).toEqual(['load']);
    expect(services.load!.command).toMatch(/^npm run load -- /);
  });

  it.each(app)('builds %s from the one Dockerfile with its SERVICE and PORT', (name, port) => {
    expect(services[name]!.build).toMatchObject({
      context: '.',
      dockerfile: 'Dockerfile',
      args: { SERVICE: name, PORT: port },
    });
  });

  it.each(app)(
    'hardens %s: non-root, read-only root, tmpfs /tmp, no capabilities, no new privileges',
    (name) => {
      const service = services[name]!;
      expect(service.user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
      expect(service.read_only).toBe(true);
      expect(service.tmpfs?.some((mount) => mount.startsWith('/tmp'))).toBe(true);
      expect(service.cap_drop).toEqual(['ALL']);
      expect(service.security_opt).toContain('no-new-privileges:true');
    },
  );

  it.each(app)(
    'gives %s a /health check, a memory limit, a restart policy and a healthy Redis first',
    (name) => {
      const service = services[name]!;
      expect(service.healthcheck?.test.join(' ')).toContain("'/health'");
      expect(memoryMiB(service)).toBeGreaterThan(0);
      expect(service.restart).toBe('unless-stopped');
      expect(service.depends_on?.['redis']).toEqual({ condition: 'service_healthy' });
    },
  );

  it.each(app)('passes %s the contract environment', (name, port) => {
    expect(services[name]!.environment).toMatchObject({
      PORT: port,
      REDIS_URL: 'redis://redis:6379',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318',
      OTEL_SERVICE_NAME: name,
      LOG_LEVEL: '${LOG_LEVEL:-info}',
    });
  });

  it('points order at user and payment by service name and waits for both to be healthy', () => {
    const order = services.order!;
    expect(order.environment).toMatchObject({
      USER_SERVICE_URL: 'http://user:3001',
      PAYMENT_SERVICE_URL: 'http://payment:3003',
    });
    expect(order.depends_on).toMatchObject({
      user: { condition: 'service_healthy' },
      payment: { condition: 'service_healthy' },
    });
  });

  it('lets payment scale: no container name and no host port', () => {
    expect(services.payment!.container_name).toBeUndefined();
    expect(services.payment!.ports).toBeUndefined();
    for (const service of Object.values(services)) expect(service.container_name).toBeUndefined();
  });

  it('keeps Redis on an append-only file synced every second, on a volume, with a health check', () => {
    const redis = services.redis!;
    const command = (redis.command as string[]).join(' ');
    expect(command).toContain('--appendonly yes');
    expect(command).toContain('--appendfsync everysec');
    expect(redis.volumes).toContain('redis-data:/data');
    expect(redis.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
  });

  it('runs Jaeger v2 with OTLP and its UI, Prometheus with exemplar storage, Grafana with provisioning', () => {
    expect(services.jaeger!.image).toMatch(/^jaegertracing\/jaeger:2\./);
    expect(services.jaeger!.ports).toEqual(expect.arrayContaining(['16686:16686', '4317:4317', '4318:4318']));
    expect(services.prometheus!.command).toContain('--enable-feature=exemplar-storage');
    expect(services.prometheus!.volumes).toContain('./infra/prometheus/rules:/etc/prometheus/rules:ro');
    expect(services.prometheus!.ports).toEqual(['9090:9090']);
    expect(services.grafana!.ports).toEqual(['3000:3000']);
    expect(services.grafana!.environment).toMatchObject({
      GF_AUTH_ANONYMOUS_ENABLED: 'true',
      GF_AUTH_ANONYMOUS_ORG_ROLE: 'Viewer',
    });
    expect(services.grafana!.volumes).toEqual(
      expect.arrayContaining(['./infra/grafana/provisioning:/etc/grafana/provisioning:ro']),
    );
  });

  it('sets a memory limit on every container, adding up to the budget stated in infra/README.md', () => {
    const readme = readText('infra/README.md');
    const stated = (label: string): number => {
      const match = new RegExp(`${label}: \\*\\*(\\d+) MiB\\*\\*`).exec(readme);
      if (!match) throw new Error(`infra/README.md states no "${label}: **N MiB**"`);
      return Number(match[1]);
    };
    const base = Object.entries(services)
      .filter(([, service]) => service.profiles === undefined)
      .reduce((sum, [, service]) => sum + memoryMiB(service), 0);
    const twoMorePayments = 2 * memoryMiB(services.payment!);
    const full = base + twoMorePayments + memoryMiB(services.load!);
    expect(base).toBe(stated('Memory budget of `docker compose up`'));
    expect(full).toBe(stated('with `--scale payment=3 --profile load`'));
    expect(full).toBeLessThanOrEqual(2048);
  });
});
