/**
 * `docker compose up` on a real Docker engine: the repository's own docker-compose.yml (plus,
 * on a machine that cannot pull, the stand-in override), built and started, then checked from
 * the host through the published ports as a user would meet it. `npm run test:compose`.
 *
 * It installs what is missing (Debian packages, as root), starts its own dockerd when none
 * answers, and tears everything down — containers, networks, volumes, its dockerd — even when
 * a check fails. What it observed (times, memory per container, paid counts) goes to the
 * console and to infra/.test-results/compose/summary.json.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { waitFor } from '@shipshape/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { composeBuildProblems, type ComposeBuildService } from '../src/compose-build-targets.ts';
import { ComposeProject } from './support/compose.ts';
import { ensureEngine, installMissing, mustRun, runCommand, type Engine } from './support/engine.ts';
import { clusterNodes, keySlot, masterOfSlot } from './support/redis-cluster.ts';
import { buildStandins, chooseImageMode, type ImageMode } from './support/standins.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const OUT = join(ROOT, 'infra', '.test-results', 'compose');
const SERVICES = ['user', 'order', 'payment'] as const;
const LOAD_IMAGE = 'shipshape/load:local';
/** Host ports docker-compose.yml publishes (Grafana's only with the upstream images). */
const PUBLISHED = [3001, 3002, 9090, 16686, 4317, 4318];

const summary: Record<string, unknown> = {};
const log = (line: string): void => {
  console.log(`[compose-test] ${line}`);
};
const note = (key: string, value: unknown): void => {
  summary[key] = value;
  log(`${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
};

let engine: Engine | undefined;
let mode: ImageMode;
let plain: ComposeProject;
let mtls: ComposeProject | undefined;
let cluster: ComposeProject | undefined;
let paymentUrl: string;

/** True when nothing listens on the port on this machine. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

async function json<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

const post = (body: unknown): RequestInit & { method: string } => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const ORDER_ITEMS = [{ sku: 'book', quantity: 2, unitPriceCents: 1250 }];

async function createUser(): Promise<string> {
  const email = `compose-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
  const { status, body } = await json<{ id: string }>(
    'http://127.0.0.1:3001/users',
    post({ email, name: 'Ada' }),
  );
  expect(status).toBe(201);
  return body.id;
}

async function createOrder(userId: string): Promise<string> {
  const { status, body } = await json<{ id: string; status: string }>(
    'http://127.0.0.1:3002/orders',
    post({ userId, items: ORDER_ITEMS }),
  );
  expect(status).toBe(202);
  expect(body.status).toBe('pending');
  return body.id;
}

const orderStatus = async (id: string): Promise<string> =>
  (await json<{ status: string }>(`http://127.0.0.1:3002/orders/${id}`)).body.status;

/** The payments the payment service holds for an order (its container address: no host port). */
async function paymentsOf(orderId: string): Promise<{ status: string }[]> {
  const { body } = await json<{ items: { status: string }[] }>(`${paymentUrl}/payments?orderId=${orderId}`);
  return body.items;
}

beforeAll(async () => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const busy = [];
  for (const port of PUBLISHED) if (!(await portFree(port))) busy.push(port);
  if (busy.length > 0)
    throw new Error(
      `ports docker-compose.yml publishes are in use here: ${busy.join(', ')} (stop what listens on them)`,
    );

  // Before minutes of building: each service must build the stage that runs it.
  const problems = composeBuildProblems(
    readFileSync(join(ROOT, 'Dockerfile'), 'utf8'),
    (
      parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
        services: Record<string, ComposeBuildService>;
      }
    ).services,
  );
  if (problems.length > 0)
    throw new Error(`docker-compose.yml builds the wrong stage:\n${problems.join('\n')}`);

  installMissing({ 'docker.io': 'dockerd', 'docker-compose': 'docker-compose' }, log);
  engine = await ensureEngine(OUT, log);
  mode = await chooseImageMode(engine.env, log);
  note('images', mode);
  const files = ['docker-compose.yml'];
  if (mode === 'standin') {
    installMissing({ debootstrap: 'debootstrap' }, log);
    const started = Date.now();
    await buildStandins(engine.env, ROOT, log);
    note('stand-in images built in', `${((Date.now() - started) / 1000).toFixed(1)} s`);
    files.push('infra/compose-test/compose.standins.yml');
  }
  plain = new ComposeProject(engine, ROOT, 'shipshape-composetest', files, join(OUT, 'compose.log'));
  await plain.down();

  // As `docker compose up --build` does: every service of the default profile. The load
  // image must not be among them (checked below), so an old one is removed first.
  await runCommand('docker', ['image', 'rm', '-f', LOAD_IMAGE], { env: engine.env });
  const started = Date.now();
  await plain.mustRun(['build'], 900_000);
  note('service images built in', `${((Date.now() - started) / 1000).toFixed(1)} s`);
}, 1_500_000);

afterAll(async () => {
  try {
    if (plain) await plain.down();
    if (mtls) await mtls.down();
    if (cluster) await cluster.down();
  } finally {
    await engine?.stop();
    writeFileSync(join(OUT, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  }
}, 300_000);

// The checks run in order, each on the state the one before left.
describe('docker compose up (real engine)', () => {
  it('builds only the service images by default; the load image is behind its profile', async () => {
    const load = await runCommand('docker', ['image', 'inspect', LOAD_IMAGE], { env: engine!.env });
    expect(load.status, `${LOAD_IMAGE} was built without --profile load`).not.toBe(0);
    // The image compose built for each service is the service (its entrypoint runs tini and
    // the service's main.js, and it has a HEALTHCHECK), not the Dockerfile's `load` stage.
    for (const service of SERVICES) {
      const config = JSON.parse(
        await mustRun(
          'docker',
          ['image', 'inspect', '--format', '{{json .Config}}', `shipshape/${service}-service:local`],
          {
            env: engine!.env,
          },
        ),
      ) as { Cmd: string[]; Entrypoint: string[]; Healthcheck?: unknown; User: string; WorkingDir: string };
      expect(config.Entrypoint).toEqual(['/usr/bin/tini', '--']);
      expect(config.Cmd).toContain('dist/main.js');
      expect(config.Healthcheck).toBeDefined();
      expect(config.User).toBe('node');
      expect(config.WorkingDir).toBe(`/app/services/${service}`);
    }
  });

  it('holds production dependencies only in the service images', async () => {
    for (const service of SERVICES) {
      const listing = await mustRun(
        'docker',
        [
          'run',
          '--rm',
          '--entrypoint',
          'sh',
          `shipshape/${service}-service:local`,
          '-c',
          'ls /app/node_modules /app/node_modules/@types 2>/dev/null; ls /app/node_modules/.bin',
        ],
        { env: engine!.env },
      );
      const names = listing.split('\n');
      for (const devOnly of ['esbuild', '@esbuild', 'node', 'typescript', 'vitest', 'vite', 'turbo', 'tsx'])
        expect(names, `${service}: ${devOnly}`).not.toContain(devOnly);
      expect(names).toContain('express');
    }
  }, 60_000);

  it('starts every service healthy within 60 s of `up`', async () => {
    const up = ['redis', ...SERVICES, 'jaeger', 'prometheus', ...(mode === 'upstream' ? ['grafana'] : [])];
    const started = Date.now();
    await plain.mustRun(['up', '-d', '--no-build', ...up], 180_000);
    const healthyAfter = await plain.waitHealthy([...SERVICES], 60_000 - (Date.now() - started));
    note(
      'healthy after up',
      `${((Date.now() - started) / 1000).toFixed(1)} s (up returned after ${((Date.now() - started - healthyAfter) / 1000).toFixed(1)} s)`,
    );
    const payment = await plain.container('payment');
    paymentUrl = `http://${payment.ip}:3003`;
  }, 240_000);

  it('answers /health, /ready and /metrics on every service', async () => {
    const bases = { user: 'http://127.0.0.1:3001', order: 'http://127.0.0.1:3002', payment: paymentUrl };
    for (const [service, base] of Object.entries(bases)) {
      expect((await fetch(`${base}/health`)).status, `${service} /health`).toBe(200);
      await waitFor(`${service} /ready`, async () => (await fetch(`${base}/ready`)).status === 200, {
        timeoutMs: 30_000,
        intervalMs: 500,
      });
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics, `${service} /metrics`).toContain('http_server_request_duration_seconds');
    }
  }, 120_000);

  it('runs the services as non-root on a read-only root, with no capabilities and tini as PID 1', async () => {
    for (const service of SERVICES) {
      const state = await plain.container(service);
      expect(state.readOnlyRootfs, `${service} read-only root`).toBe(true);
      expect(state.capDrop).toContain('ALL');
      expect(state.capAdd).toEqual([]);
      expect(state.securityOpt).toContain('no-new-privileges:true');
      const uid = (await plain.exec(service, ['id', '-u'])).stdout.trim();
      expect(uid, `${service} uid`).not.toBe('0');
      const pid1 = (await plain.exec(service, ['cat', '/proc/1/cmdline'])).stdout.split('\0');
      expect(pid1[0], `${service} PID 1`).toBe('/usr/bin/tini');
      const status = (await plain.exec(service, ['cat', '/proc/1/status'])).stdout;
      expect(/^CapEff:\s*(\w+)$/m.exec(status)?.[1], `${service} effective capabilities`).toMatch(/^0+$/);
      const write = await plain.exec(service, ['sh', '-c', 'touch /app/probe']);
      expect(write.status, `${service} writes to /app`).not.toBe(0);
    }
  }, 120_000);

  it('follows the README quick start: a user, an order, paid', async () => {
    const started = Date.now();
    const userId = await createUser();
    const orderId = await createOrder(userId);
    await waitFor('the order to be paid', async () => (await orderStatus(orderId)) === 'paid', {
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    note('quick start: order paid after', `${Date.now() - started} ms`);
    expect(await paymentsOf(orderId)).toMatchObject([{ status: 'captured' }]);
  }, 60_000);

  it('has Prometheus scraping every target, with a recording rule that returns data', async () => {
    const prometheus = 'http://127.0.0.1:9090';
    let targets: { labels: { job: string }; health: string }[] = [];
    await waitFor(
      'every scrape target to be up',
      async () => {
        const { body } = await json<{ data: { activeTargets: typeof targets } }>(
          `${prometheus}/api/v1/targets?state=active`,
        );
        targets = body.data.activeTargets;
        const jobs = new Set(targets.map((target) => target.labels.job));
        return (
          SERVICES.every((job) => jobs.has(job)) &&
          targets.filter((t) => SERVICES.includes(t.labels.job as never)).every((t) => t.health === 'up')
        );
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
    note('prometheus targets', targets.map((t) => `${t.labels.job}=${t.health}`).join(' '));
    const rule = 'service:http_server_requests:rate1m';
    let series = 0;
    await waitFor(
      `${rule} to return data`,
      async () => {
        const { body } = await json<{ data: { result: unknown[] } }>(
          `${prometheus}/api/v1/query?query=${encodeURIComponent(rule)}`,
        );
        series = body.data.result.length;
        return series > 0;
      },
      { timeoutMs: 90_000, intervalMs: 2_000 },
    );
    note(`recording rule ${rule}`, `${series} series`);
  }, 180_000);

  it('delivers traces from all three services to the collector', async () => {
    let services: string[] = [];
    await waitFor(
      'traces of user, order and payment',
      async () => {
        services = (await json<{ data: string[] }>('http://127.0.0.1:16686/api/services')).body.data ?? [];
        return SERVICES.every((service) => services.includes(service));
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
    note('services with traces', services.join(' '));
  }, 90_000);

  it('keeps accepting orders while payment is stopped, and pays each exactly once after it starts', async () => {
    await plain.mustRun(['stop', 'payment'], 60_000);
    const userId = await createUser();
    const orders: string[] = [];
    for (let i = 0; i < 5; i += 1) orders.push(await createOrder(userId));
    // Long enough for the relay and the worker's first attempts to have run and failed.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const during = await Promise.all(orders.map(orderStatus));
    expect(during).toEqual(orders.map(() => 'pending'));
    const restarted = Date.now();
    await plain.mustRun(['start', 'payment'], 60_000);
    paymentUrl = `http://${(await plain.container('payment')).ip}:3003`;
    await waitFor(
      'every order to be paid',
      async () => (await Promise.all(orders.map(orderStatus))).every((status) => status === 'paid'),
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    note('payment outage: all paid after restart in', `${((Date.now() - restarted) / 1000).toFixed(1)} s`);
    const charges = await Promise.all(orders.map(paymentsOf));
    expect(charges.map((payments) => payments.filter((p) => p.status === 'captured').length)).toEqual(
      orders.map(() => 1),
    );
    note(
      'payment outage: orders accepted / paid / captured',
      `${orders.length} / ${orders.length} / ${charges.flat().length}`,
    );
  }, 180_000);

  it('stops the order service on SIGTERM with exit code 0 within its stop grace period', async () => {
    const sent = Date.now();
    await plain.mustRun(['kill', '-s', 'SIGTERM', 'order'], 60_000);
    let state = await plain.container('order');
    await waitFor('order to exit', async () => (state = await plain.container('order')).status === 'exited', {
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    note('order exit after SIGTERM', `code ${state.exitCode} in ${Date.now() - sent} ms (grace 30 s)`);
    expect(state.exitCode).toBe(0);
    await plain.mustRun(['start', 'order'], 60_000);
    await plain.waitHealthy(['order'], 60_000);
  }, 150_000);

  it('runs the load profile with most requests succeeding, and fits each container in its memory limit', async () => {
    const started = Date.now();
    await plain.mustRun(['--profile', 'load', 'build', 'load'], 900_000);
    note('load image built in', `${((Date.now() - started) / 1000).toFixed(1)} s`);
    const withArgs = new ComposeProject(
      engine!,
      ROOT,
      plain.name,
      mode === 'standin'
        ? ['docker-compose.yml', 'infra/compose-test/compose.standins.yml']
        : ['docker-compose.yml'],
      join(OUT, 'compose.log'),
      { LOAD_ARGS: '--rate 30 --duration 40s --json --quiet' },
    );
    await withArgs.mustRun(['--profile', 'load', 'up', '-d', '--no-build', 'load'], 120_000);
    // Memory in the middle of the run.
    await waitFor(
      'the load run to be under way',
      async () => (await withArgs.containers('load'))[0]?.status === 'running',
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    await new Promise((resolve) => setTimeout(resolve, 25_000));
    const memory = await withArgs.memory();
    note(
      'memory under load (used / limit)',
      Object.fromEntries([...memory].map(([service, m]) => [service, `${m.used} / ${m.limit}`])),
    );
    for (const service of ['redis', ...SERVICES]) {
      const state = await withArgs.container(service);
      expect(state.memoryLimit, `${service} memory limit applied`).toBeGreaterThan(0);
    }
    await waitFor(
      'the load run to end',
      async () => (await withArgs.containers('load'))[0]?.status === 'exited',
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
    const load = await withArgs.container('load');
    const logs = await mustRun('docker', ['logs', load.id], { env: engine!.env });
    writeFileSync(join(OUT, 'load.json'), logs);
    const result = JSON.parse(logs.slice(logs.indexOf('{'), logs.lastIndexOf('}') + 1)) as {
      statuses: Record<string, number>;
    };
    const total = Object.values(result.statuses).reduce((sum, n) => sum + n, 0);
    const ok = Object.entries(result.statuses)
      .filter(([status]) => status.startsWith('2'))
      .reduce((sum, [, n]) => sum + n, 0);
    note('load profile statuses', result.statuses);
    note('load profile 2xx share', `${ok} of ${total} (${((100 * ok) / total).toFixed(1)} %)`);
    expect(load.exitCode).toBe(0);
    expect(total).toBeGreaterThan(500);
    expect(ok / total).toBeGreaterThan(0.95);
  }, 1_200_000);

  it('comes up with the mutual TLS override and pays an order over mTLS', async () => {
    await plain.down();
    const files = ['docker-compose.yml', 'docker-compose.mtls.yml'];
    if (mode === 'standin')
      files.push('infra/compose-test/compose.standins.yml', 'infra/compose-test/compose.standins.mtls.yml');
    mtls = new ComposeProject(
      engine!,
      ROOT,
      'shipshape-composetest-mtls',
      files,
      join(OUT, 'compose-mtls.log'),
    );
    await mtls.mustRun(['build', 'certs'], 600_000);
    const started = Date.now();
    await mtls.mustRun(
      ['up', '-d', '--no-build', 'redis', 'certs', ...SERVICES, 'jaeger', 'prometheus'],
      240_000,
    );
    await mtls.waitHealthy([...SERVICES], 90_000);
    note('mTLS: healthy after up', `${((Date.now() - started) / 1000).toFixed(1)} s`);

    const read = async (file: string): Promise<string> =>
      mtls!.mustRun(
        ['run', '--rm', '-T', '--no-deps', '--entrypoint', 'cat', 'certs', `/certs/operator/${file}`],
        60_000,
      );
    const identity = { ca: await read('tls.ca'), cert: await read('tls.cert'), key: await read('tls.key') };
    const call = (
      port: number,
      servername: string,
      method: string,
      path: string,
      body?: unknown,
      withCert = true,
    ) =>
      new Promise<{ status: number; body: { id?: string; status?: string } }>((resolve, reject) => {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const req = httpsRequest(
          {
            host: '127.0.0.1',
            port,
            servername,
            method,
            path,
            ca: identity.ca,
            ...(withCert ? { cert: identity.cert, key: identity.key } : {}),
            headers: payload
              ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
              : {},
            timeout: 10_000,
          },
          (response) => {
            let text = '';
            response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 0,
                body: (text ? JSON.parse(text) : {}) as { id?: string; status?: string },
              }),
            );
          },
        );
        req.on('error', reject);
        req.end(payload);
      });

    const user = await call(3001, 'user', 'POST', '/users', {
      email: `mtls-${Date.now()}@example.com`,
      name: 'Ada',
    });
    expect(user.status).toBe(201);
    const order = await call(3002, 'order', 'POST', '/orders', { userId: user.body.id, items: ORDER_ITEMS });
    expect(order.status).toBe(202);
    await waitFor(
      'the order to be paid over mTLS',
      async () => (await call(3002, 'order', 'GET', `/orders/${order.body.id}`)).body.status === 'paid',
      {
        timeoutMs: 30_000,
        intervalMs: 200,
      },
    );
    note('mTLS: order paid after', `${Date.now() - started} ms from up`);
    // No client certificate: the TLS handshake is refused.
    await expect(call(3002, 'order', 'GET', '/health', undefined, false)).rejects.toThrow();
    // Plain HTTP on the TLS port gets no answer it could use.
    await expect(
      fetch('http://127.0.0.1:3002/health', { signal: AbortSignal.timeout(5_000) }).then((r) => r.status),
    ).rejects.toThrow();
  }, 900_000);
  it('runs on the Redis Cluster override: six nodes, orders paid, and a master killed under load loses nothing', async () => {
    await mtls?.down();
    const files = ['docker-compose.yml', 'docker-compose.redis-cluster.yml'];
    if (mode === 'standin')
      files.push(
        'infra/compose-test/compose.standins.yml',
        'infra/compose-test/compose.standins.redis-cluster.yml',
      );
    cluster = new ComposeProject(
      engine!,
      ROOT,
      'shipshape-composetest-cluster',
      files,
      join(OUT, 'compose-cluster.log'),
    );
    const project = cluster;
    const started = Date.now();
    // The services' depends_on brings up the six nodes and the one-shot redis-cluster-init.
    await project.mustRun(['up', '-d', '--no-build', ...SERVICES, 'jaeger', 'prometheus'], 300_000);
    await project.waitHealthy([...SERVICES], 120_000);
    note('cluster: healthy after up', `${((Date.now() - started) / 1000).toFixed(1)} s`);
    const init = await project.container('redis-cluster-init');
    expect(init.exitCode, 'redis-cluster-init exit code').toBe(0);
    const info = (await project.exec('redis-node-1', ['redis-cli', 'cluster', 'info'])).stdout;
    expect(info).toContain('cluster_state:ok');
    expect(info).toMatch(/cluster_known_nodes:6\b/);
    const nodes = await clusterNodes(project, 'redis-node-1');
    expect(nodes.filter((node) => node.role === 'master')).toHaveLength(3);
    paymentUrl = `http://${(await project.container('payment')).ip}:3003`;
    for (const [service, base] of Object.entries({
      user: 'http://127.0.0.1:3001',
      order: 'http://127.0.0.1:3002',
      payment: paymentUrl,
    }))
      await waitFor(
        `${service} /ready on the cluster`,
        async () => (await fetch(`${base}/ready`)).status === 200,
        {
          timeoutMs: 30_000,
          intervalMs: 500,
        },
      );

    const userId = await createUser();
    const first = await createOrder(userId);
    await waitFor(
      'the first order on the cluster to be paid',
      async () => (await orderStatus(first)) === 'paid',
      {
        timeoutMs: 30_000,
        intervalMs: 100,
      },
    );
    // The data is on the cluster: the one-node redis of docker-compose.yml holds nothing.
    expect((await project.exec('redis', ['redis-cli', 'dbsize'])).stdout.trim()).toBe('0');

    // Kill the master that holds the payment queue (BullMQ's prefix order:{bull}) while orders
    // keep coming, about 10 a second for 30 s.
    const queueSlot = await keySlot(project, 'redis-node-1', 'order:{bull}:payments:wait');
    const victim = await masterOfSlot(project, 'redis-node-1', queueSlot);
    expect(victim, `a master for slot ${queueSlot}`).toBeDefined();
    const victimService = (await project.containers()).find((c) => c.ip === victim!.host)?.service;
    expect(victimService, `the container of ${victim!.host}`).toMatch(/^redis-node-\d$/);
    const survivor = [
      'redis-node-1',
      'redis-node-2',
      'redis-node-3',
      'redis-node-4',
      'redis-node-5',
      'redis-node-6',
    ].find((service) => service !== victimService)!;

    const accepted: string[] = [];
    const refused: Record<string, number> = {};
    let slowestMs = 0;
    const stream = (async () => {
      const until = Date.now() + 30_000;
      while (Date.now() < until) {
        const tick = Date.now();
        try {
          const response = await fetch('http://127.0.0.1:3002/orders', {
            ...post({ userId, items: ORDER_ITEMS }),
            // Past the services' Redis command timeout (5 s) and the order's user lookup budget.
            signal: AbortSignal.timeout(15_000),
          });
          slowestMs = Math.max(slowestMs, Date.now() - tick);
          if (response.status === 202) accepted.push(((await response.json()) as { id: string }).id);
          else {
            await response.body?.cancel();
            refused[response.status] = (refused[response.status] ?? 0) + 1;
          }
        } catch (error) {
          const name = (error as Error).name;
          refused[name] = (refused[name] ?? 0) + 1;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - (Date.now() - tick))));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    await project.mustRun(['kill', victimService!], 60_000);
    const killedAt = Date.now();
    await waitFor(
      `a replica to take over slot ${queueSlot}`,
      async () => {
        const master = await masterOfSlot(project, survivor, queueSlot);
        return master !== undefined && master.id !== victim!.id;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const promotedAt = Date.now();
    note('cluster: replica promoted after', `${promotedAt - killedAt} ms (cluster-node-timeout 5 s)`);
    await stream;
    note(
      'cluster: orders during failover accepted / refused / slowest answer',
      `${accepted.length} / ${JSON.stringify(refused)} / ${slowestMs} ms`,
    );
    expect(accepted.length).toBeGreaterThan(100);
    // Refusals during the failover are 503s (Redis unavailable), never a 500.
    expect(Object.keys(refused).filter((status) => status !== '503')).toEqual([]);

    await waitFor(
      'every accepted order to be paid',
      async () => (await Promise.all(accepted.map(orderStatus))).every((status) => status === 'paid'),
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
    const charges = await Promise.all(accepted.map(paymentsOf));
    const captured = charges.map((payments) => payments.filter((p) => p.status === 'captured').length);
    expect(captured.filter((n) => n !== 1)).toEqual([]);
    note(
      'cluster: accepted / paid / captured',
      `${accepted.length} / ${accepted.length} / ${captured.reduce((sum, n) => sum + n, 0)}`,
    );

    // The killed node comes back as a replica of the node that replaced it.
    await project.mustRun(['start', victimService!], 60_000);
    await waitFor(
      `${victimService} to rejoin as a replica`,
      async () => {
        const view = await clusterNodes(project, survivor);
        const back = view.find((node) => node.id === victim!.id);
        return back !== undefined && back.role === 'replica' && !back.failed;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
  }, 900_000);
});
