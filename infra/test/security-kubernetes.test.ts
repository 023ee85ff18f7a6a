// Least privilege of every Kubernetes workload, read straight from infra/k8s/base (no kubectl
// needed). kubernetes.test.ts checks the rendered overlay for non-root, read-only root,
// dropped capabilities and the seccomp profile; this adds what a pod could still gain: added
// capabilities, privileged mode, host namespaces, host paths and service-account tokens.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INFRA, parseYamlStream, readText } from './support/repo.ts';

interface Container {
  name: string;
  securityContext?: {
    privileged?: boolean;
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    runAsNonRoot?: boolean;
    runAsUser?: number;
    capabilities?: { add?: string[]; drop?: string[] };
  };
}

interface PodSpec {
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  automountServiceAccountToken?: boolean;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type: string } };
  containers: Container[];
  initContainers?: Container[];
  volumes?: { name: string; hostPath?: unknown }[];
}

const WORKLOAD_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Pod',
]);

const manifests = readdirSync(join(INFRA, 'k8s', 'base'))
  .filter((file) => file.endsWith('.yaml'))
  .flatMap((file) => parseYamlStream(readText(`infra/k8s/base/${file}`)));

function podSpecOf(manifest: Record<string, unknown>): PodSpec {
  const spec = manifest['spec'] as Record<string, unknown>;
  if (manifest['kind'] === 'Pod') return spec as unknown as PodSpec;
  if (manifest['kind'] === 'CronJob') {
    return (spec['jobTemplate'] as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
  }
  return (spec['template'] as { spec: PodSpec }).spec;
}

const workloads = manifests
  .filter((m) => WORKLOAD_KINDS.has(String(m['kind'])))
  .map((m) => [`${String(m['kind'])}/${(m['metadata'] as { name: string }).name}`, podSpecOf(m)] as const);

describe('Kubernetes workloads run with least privilege', () => {
  it('finds the workloads: the three services and Redis', () => {
    expect(workloads.map(([name]) => name).sort()).toEqual(
      ['Deployment/order', 'Deployment/payment', 'Deployment/user', 'StatefulSet/redis'].sort(),
    );
  });

  it.each(workloads)(
    '%s: no host namespaces, no host paths, no service-account token, non-root pod',
    (_name, pod) => {
      expect(pod.hostNetwork ?? false).toBe(false);
      expect(pod.hostPID ?? false).toBe(false);
      expect(pod.hostIPC ?? false).toBe(false);
      expect(pod.automountServiceAccountToken).toBe(false);
      expect((pod.volumes ?? []).filter((v) => v.hostPath !== undefined)).toEqual([]);
      expect(pod.securityContext?.runAsNonRoot).toBe(true);
      expect(pod.securityContext?.runAsUser).toBeGreaterThan(0);
      expect(pod.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
    },
  );

  it.each(workloads)(
    '%s: every container unprivileged, read-only, all capabilities dropped, none added',
    (_name, pod) => {
      for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
        const context = container.securityContext;
        expect(context?.privileged ?? false, container.name).toBe(false);
        expect(context?.allowPrivilegeEscalation, container.name).toBe(false);
        expect(context?.readOnlyRootFilesystem, container.name).toBe(true);
        expect(context?.capabilities?.drop, container.name).toEqual(['ALL']);
        expect(context?.capabilities?.add ?? [], container.name).toEqual([]);
        expect(context?.runAsUser ?? 1, container.name).toBeGreaterThan(0);
      }
    },
  );
});
