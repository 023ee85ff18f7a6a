import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { validate } from 'dockerfile-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readText, readYaml } from './support/repo.ts';

const execFileAsync = promisify(execFile);
const dockerfile = readText('Dockerfile');
/** Instructions of the `runtime` stage (the last one), continuation lines joined. */
const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime')).replace(/\\\n\s*/g, ' ');

/** The argument vector of the image's HEALTHCHECK (exec form). */
function imageHealthcheck(): string[] {
  const match = /HEALTHCHECK [^\n]*?CMD (\[.*\])/.exec(runtime);
  if (!match) throw new Error('the runtime stage has no exec-form HEALTHCHECK');
  return JSON.parse(match[1]!) as string[];
}

/** The argument vector of a compose service's healthcheck, without the leading CMD. */
function composeHealthcheck(service: string): string[] {
  const compose = readYaml<{ services: Record<string, { healthcheck: { test: string[] } }> }>(
    'docker-compose.yml',
  );
  return compose.services[service]!.healthcheck.test.slice(1);
}

/** Runs a health check command the way the container would, with PORT set. */
async function probe(argv: string[], port: number): Promise<number> {
  const [command, ...args] = argv;
  try {
    await execFileAsync(command === 'node' ? process.execPath : command!, args, {
      env: { ...process.env, PORT: String(port) },
      timeout: 20_000,
    });
    return 0;
  } catch (error) {
    return (error as { code?: number }).code ?? 1;
  }
}

describe('Dockerfile', () => {
  it('builds in stages from a pruned workspace: prune, build, production dependencies, runtime', () => {
    expect(dockerfile).toMatch(/ARG NODE_IMAGE=node:24-(alpine|bookworm-slim)/);
    for (const stage of ['prune', 'build', 'prod-deps', 'runtime'])
      expect(dockerfile).toContain(`AS ${stage}`);
    expect(dockerfile).toMatch(
      /turbo@\$\{TURBO_VERSION\}" prune "@shipshape\/\$\{SERVICE\}-service" --docker/,
    );
    expect(dockerfile).toContain(
      'npm ci --omit=dev --ignore-scripts --workspace "@shipshape/${SERVICE}-service"',
    );
    expect(runtime).not.toMatch(/COPY --from=build \/repo\/node_modules/);
  });

  it('passes the Dockerfile linter (the checks the Docker builder makes) with no error or warning', () => {
    expect(validate(dockerfile).map((problem) => [problem.range.start.line + 1, problem.message])).toEqual(
      [],
    );
  });

  it('reports a malformed instruction, so the lint above can fail', () => {
    const problems = validate('FROM node:24-bookworm-slim\nHEALTHCHECK --interva=30s CMD ls\n');
    expect(problems.map((problem) => problem.message)).toEqual(['Unknown flag: interva']);
  });

  it('prunes with the turbo version the lockfile installs', () => {
    const installed = (JSON.parse(readText('node_modules/turbo/package.json')) as { version: string })
      .version;
    expect(/ARG TURBO_VERSION=(\S+)/.exec(dockerfile)?.[1]).toBe(installed);
  });

  it('runs as the unprivileged node user under tini, with telemetry imported first', () => {
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toContain('ENTRYPOINT ["/usr/bin/tini", "--"]');
    expect(runtime).toContain(
      'CMD ["node", "--import", "@shipshape/observability/register", "dist/main.js"]',
    );
  });

  it('sizes the heap from the container memory limit with a flag this Node accepts', async () => {
    const match = /NODE_OPTIONS=(--max-old-space-size-percentage=(\d+))/.exec(runtime);
    expect(match).not.toBeNull();
    const { stdout } = await execFileAsync(
      process.execPath,
      ['-p', "require('v8').getHeapStatistics().heap_size_limit"],
      { env: { ...process.env, NODE_OPTIONS: match![1] } },
    );
    const { stdout: plain } = await execFileAsync(
      process.execPath,
      ['-p', "require('v8').getHeapStatistics().heap_size_limit"],
      {
        env: { ...process.env, NODE_OPTIONS: '' },
      },
    );
    // Without a cgroup limit the percentage applies to the machine's memory: the limit moves.
    expect(Number(stdout)).not.toBe(Number(plain));
    expect(Number(match![2])).toBeGreaterThanOrEqual(50);
    expect(Number(match![2])).toBeLessThanOrEqual(80);
  });

  it('keeps host build output, dependencies and secrets out of the build context', () => {
    const ignored = readText('.dockerignore').split('\n');
    for (const entry of ['**/node_modules', '**/dist', '.git', '.env']) expect(ignored).toContain(entry);
  });
});

describe('health checks', () => {
  let status = 200;
  let port = 0;
  const server = createServer((request, response) => {
    response.statusCode = request.url === '/health' ? status : 404;
    response.end();
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    ['the image', imageHealthcheck],
    ['compose', () => composeHealthcheck('payment')],
  ])('%s check passes when /health answers 200', async (_where, argv) => {
    status = 200;
    expect(await probe(argv(), port)).toBe(0);
  });

  it.each([
    ['the image', imageHealthcheck],
    ['compose', () => composeHealthcheck('payment')],
  ])('%s check fails when /health answers 503', async (_where, argv) => {
    status = 503;
    expect(await probe(argv(), port)).toBe(1);
  });

  it('fails when nothing listens on PORT', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await probe(imageHealthcheck(), freePort)).toBe(1);
  });
});
