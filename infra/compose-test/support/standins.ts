/**
 * Which images the compose test runs: the upstream ones (redis, prometheus, jaeger, grafana and
 * the node base image, pulled from their registry) or, on a machine that cannot pull, local
 * stand-ins built from what it can reach — a Debian root made by debootstrap, Node 24 and npm
 * from the npm registry, Debian's redis-server and prometheus, and an OTLP sink in place of
 * Jaeger (`standins/`). The expensive parts (the Debian root, node) are cached across runs.
 */
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mustRun, runCommand } from './engine.ts';

/** Where the stand-ins' recipes live. */
export const STANDINS_DIR = join(import.meta.dirname, '..', 'standins');

/** The stand-in images (names used by compose.standins.yml). */
export const STANDIN_IMAGES = {
  debian: 'shipshape-standin/debian:bookworm',
  node: 'shipshape-standin/node:24',
  redis: 'shipshape-standin/redis:7',
  prometheus: 'shipshape-standin/prometheus:2',
  otlpSink: 'shipshape-standin/otlp-sink:1',
} as const;

/** `upstream`: pull the real images; `standin`: build local ones; `auto`: try a pull first. */
export type ImageMode = 'upstream' | 'standin';

/** The image `auto` tries to pull to learn whether a registry is reachable. */
const PROBE_IMAGE = 'redis:7.4-alpine';

/**
 * The mode from `SHIPSHAPE_COMPOSE_IMAGES` (`upstream`, `standin` or `auto`, the default): auto
 * pulls one upstream image and falls back to stand-ins when that fails.
 */
export async function chooseImageMode(
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<ImageMode> {
  const wanted = process.env.SHIPSHAPE_COMPOSE_IMAGES ?? 'auto';
  if (wanted === 'upstream' || wanted === 'standin') return wanted;
  if (wanted !== 'auto')
    throw new Error(`SHIPSHAPE_COMPOSE_IMAGES must be upstream, standin or auto, got "${wanted}"`);
  const pull = await runCommand('docker', ['pull', '-q', PROBE_IMAGE], { env, timeoutMs: 60_000 });
  if (pull.status === 0) return 'upstream';
  log(`cannot pull ${PROBE_IMAGE} (${pull.stderr.trim().split('\n').at(-1)}): building local stand-ins`);
  return 'standin';
}

const cacheDir = (): string =>
  join(
    process.env.SHIPSHAPE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'shipshape'),
    'compose-test',
  );

async function imageExists(image: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  return (await runCommand('docker', ['image', 'inspect', image], { env, timeoutMs: 30_000 })).status === 0;
}

/** A minimal Debian bookworm root (debootstrap), imported as an image; the tarball is cached. */
async function ensureDebian(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  if (await imageExists(STANDIN_IMAGES.debian, env)) return;
  const tarball = join(cacheDir(), 'debian-bookworm-minbase.tar');
  if (!existsSync(tarball)) {
    mkdirSync(cacheDir(), { recursive: true });
    const root = mkdtempSync(join(tmpdir(), 'shipshape-debootstrap-'));
    log('debootstrap --variant=minbase bookworm (once per machine)');
    try {
      await mustRun('debootstrap', ['--variant=minbase', 'bookworm', root, 'http://deb.debian.org/debian'], {
        timeoutMs: 600_000,
      });
      // What a slim image leaves out: downloaded packages and package lists.
      for (const dir of ['var/cache/apt/archives', 'var/lib/apt/lists']) {
        for (const entry of readdirSync(join(root, dir))) {
          if (entry !== 'partial' && entry !== 'lock')
            rmSync(join(root, dir, entry), { recursive: true, force: true });
        }
      }
      await mustRun('tar', ['-C', root, '-cf', `${tarball}.tmp`, '.'], { timeoutMs: 300_000 });
      await mustRun('mv', [`${tarball}.tmp`, tarball]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  await mustRun('docker', ['import', tarball, STANDIN_IMAGES.debian], { env, timeoutMs: 300_000 });
}

/** The npm version of the repository's `packageManager` field (what the image's npm should be). */
function npmVersion(repoRoot: string): string {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    packageManager?: string;
  };
  return /^npm@(.+)$/.exec(manifest.packageManager ?? '')?.[1] ?? '11';
}

/** Node 24 and npm from the npm registry, unpacked into `context` as `node` and `npm/`. */
async function nodeContext(context: string, repoRoot: string, log: (line: string) => void): Promise<void> {
  const nodeDir = join(cacheDir(), 'node24');
  const binary = join(nodeDir, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(binary)) {
    log('npm install node@24 (once per machine)');
    await mustRun('npm', ['install', '--no-save', '--no-package-lock', '--prefix', nodeDir, 'node@24'], {
      timeoutMs: 300_000,
    });
  }
  copyFileSync(binary, join(context, 'node'));
  const version = npmVersion(repoRoot);
  const packed = (
    await mustRun('npm', ['pack', `npm@${version}`, '--silent', '--pack-destination', context], {
      timeoutMs: 120_000,
    })
  )
    .trim()
    .split('\n')
    .at(-1)!;
  mkdirSync(join(context, 'npm'));
  await mustRun('tar', ['-xzf', join(context, packed), '-C', join(context, 'npm'), '--strip-components=1']);
  rmSync(join(context, packed));
}

/** Builds every stand-in image (cached layers make a repeat run take seconds). */
export async function buildStandins(
  env: NodeJS.ProcessEnv,
  repoRoot: string,
  log: (line: string) => void,
): Promise<void> {
  await ensureDebian(env, log);
  const context = mkdtempSync(join(tmpdir(), 'shipshape-standins-'));
  try {
    cpSync(STANDINS_DIR, context, { recursive: true });
    // This machine's CA bundle: the registries are reached through a TLS-intercepting proxy.
    const bundle = '/etc/ssl/certs/ca-certificates.crt';
    if (existsSync(bundle)) copyFileSync(bundle, join(context, 'ca-certificates.crt'));
    else writeFileSync(join(context, 'ca-certificates.crt'), '');
    await nodeContext(context, repoRoot, log);
    const build = async (file: string, image: string): Promise<void> => {
      log(`docker build ${image}`);
      await mustRun(
        'docker',
        ['build', '--network', 'host', '-q', '-f', join(context, file), '-t', image, context],
        {
          env,
          timeoutMs: 600_000,
        },
      );
    };
    await build('node.Dockerfile', STANDIN_IMAGES.node);
    await build('redis.Dockerfile', STANDIN_IMAGES.redis);
    await build('prometheus.Dockerfile', STANDIN_IMAGES.prometheus);
    await build('otlp-sink.Dockerfile', STANDIN_IMAGES.otlpSink);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}
