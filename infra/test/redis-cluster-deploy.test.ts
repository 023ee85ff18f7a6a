// The Redis Cluster deployments: the compose override (6 nodes + a one-shot cluster create) and
// the Kubernetes overlay for an external cluster-mode Redis. Checked statically: rendering them
// needs docker-compose / kubectl only; starting them (images, a cluster) is left to the user.
import { skipWithoutTool } from '@shipshape/test-harness';
import { describe, expect, it } from 'vitest';
import { parseYamlStream, readYaml, run } from './support/repo.ts';

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}

describe('docker-compose.redis-cluster.yml', () => {
  const override = readYaml<{ services: Record<string, ComposeService> }>('docker-compose.redis-cluster.yml');
  const nodes = Object.keys(override.services).filter((name) => name.startsWith('redis-node-'));

  it('runs six cluster-enabled nodes and points every service at all of them', () => {
    expect(nodes).toHaveLength(6);
    for (const node of nodes) expect(override.services[node]!.command).toContain('--cluster-enabled');
    const url = `redis-cluster://${nodes.map((node) => `${node}:6379`).join(',')}`;
    for (const service of ['user', 'order', 'payment']) {
      expect(override.services[service]!.environment?.REDIS_URL).toBe(url);
      expect(override.services[service]!.depends_on?.['redis-cluster-init']?.condition).toBe(
        'service_completed_successfully',
      );
    }
    expect(override.services['redis-cluster-init']!.command!.join(' ')).toContain('--cluster-replicas 1');
  });

  it.skipIf(skipWithoutTool('docker-compose', 'apt-get install docker-compose'))(
    'is valid on top of docker-compose.yml',
    () => {
      const result = run('docker-compose', [
        '-f',
        'docker-compose.yml',
        '-f',
        'docker-compose.redis-cluster.yml',
        'config',
        '-q',
      ]);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    },
  );
});

describe.skipIf(skipWithoutTool('kubectl', 'install kubectl >= 1.22'))('overlay redis-cluster', () => {
  it('drops the in-cluster Redis and reads REDIS_URL of every service from the Secret', () => {
    const result = run('kubectl', ['kustomize', 'infra/k8s/overlays/redis-cluster']);
    expect(result.status, result.stderr).toBe(0);
    const manifests = parseYamlStream(result.stdout) as unknown as {
      kind: string;
      metadata: { name: string };
      spec?: { template?: { spec: { containers: { env?: { name: string; valueFrom?: unknown }[] }[] } } };
    }[];
    expect(manifests.filter((m) => m.metadata.name === 'redis')).toEqual([]);
    const deployments = manifests.filter((m) => m.kind === 'Deployment');
    expect(deployments.map((m) => m.metadata.name).sort()).toEqual(['order', 'payment', 'user']);
    for (const deployment of deployments) {
      const env = deployment.spec!.template!.spec.containers[0]!.env ?? [];
      expect(env.filter((e) => e.name === 'REDIS_URL')).toEqual([
        { name: 'REDIS_URL', valueFrom: { secretKeyRef: { name: 'redis-cluster', key: 'url' } } },
      ]);
    }
  });
});
