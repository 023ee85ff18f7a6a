/**
 * A Docker engine and a compose command for the compose test: reuses a running engine, or
 * installs Debian's packages (as root, only what is missing) and starts a `dockerd` of its own,
 * which {@link Engine.stop} stops again.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@shipshape/test-harness';

/** A finished command. */
export interface CommandResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, capturing its output; never throws for a non-zero exit. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; input?: string } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ status: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Runs a command and throws with its output when it fails. */
export async function mustRun(
  command: string,
  args: readonly string[],
  options: Parameters<typeof runCommand>[2] = {},
): Promise<string> {
  const result = await runCommand(command, args, options);
  if (result.status !== 0) {
    const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${tail}`);
  }
  return result.stdout;
}

const has = (tool: string): boolean =>
  spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;

/**
 * Installs the Debian packages behind the missing tools (root and apt-get only; elsewhere it
 * says what is missing). Package → the tool it brings.
 */
export function installMissing(needs: Record<string, string>, log: (line: string) => void): void {
  const missing = Object.entries(needs)
    .filter(([, tool]) => !has(tool))
    .map(([pkg]) => pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0 || !has('apt-get')) {
    throw new Error(`the compose test needs: ${missing.join(', ')} (install them, or run as root on Debian)`);
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { env, stdio: 'inherit' });
  const install = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
    env,
    stdio: 'inherit',
  });
  if (update.status !== 0 || install.status !== 0) {
    throw new Error(`apt-get install ${missing.join(' ')} failed`);
  }
}

/** A usable Docker engine and the environment its clients run with. */
export interface Engine {
  /** Environment for `docker` and compose: PATH with the chosen docker client first, BuildKit on. */
  readonly env: NodeJS.ProcessEnv;
  /** The compose command: `['docker', 'compose']` (v2) or `['docker-compose']` (v1). */
  readonly compose: readonly string[];
  /** True when this test started the engine (and {@link stop} stops it). */
  readonly ownEngine: boolean;
  stop(): Promise<void>;
}

/**
 * The environment the clients run in. Debian's docker-compose 1.29 builds through the `docker`
 * CLI (BuildKit) and needs a client that speaks to its engine: Debian's 20.10 client at
 * /usr/bin/docker comes first on PATH when it exists (a newer client elsewhere on PATH may not
 * talk to a 20.10 engine).
 */
function clientEnv(): NodeJS.ProcessEnv {
  const bin = mkdtempSync(join(tmpdir(), 'shipshape-docker-bin-'));
  if (existsSync('/usr/bin/docker')) symlinkSync('/usr/bin/docker', join(bin, 'docker'));
  return {
    ...process.env,
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    DOCKER_BUILDKIT: '1',
    COMPOSE_DOCKER_CLI_BUILD: '1',
    // docker-compose 1.29 prints a line per layer without this; the logs go to files anyway.
    BUILDKIT_PROGRESS: 'plain',
  };
}

async function engineAnswers(env: NodeJS.ProcessEnv): Promise<boolean> {
  const result = await runCommand('docker', ['info', '--format', '{{.ServerVersion}}'], {
    env,
    timeoutMs: 15_000,
  }).catch(() => ({ status: 1 }));
  return result.status === 0;
}

/**
 * Makes sure an engine answers: the one already running (DOCKER_HOST or the default socket),
 * or a `dockerd` this call starts (root only), logging to `logDir/dockerd.log`.
 */
export async function ensureEngine(logDir: string, log: (line: string) => void): Promise<Engine> {
  const env = clientEnv();
  const compose =
    spawnSync('docker', ['compose', 'version'], { env, stdio: 'ignore' }).status === 0
      ? ['docker', 'compose']
      : ['docker-compose'];
  if (await engineAnswers(env)) {
    log('using the Docker engine that is already running');
    return { env, compose, ownEngine: false, stop: async () => {} };
  }
  if (process.getuid?.() !== 0) throw new Error('no Docker engine answers, and starting one needs root');
  mkdirSync(logDir, { recursive: true });
  const out = openSync(join(logDir, 'dockerd.log'), 'a');
  // overlay2: the storage driver that works on this kind of machine (cgroup v1, no flags needed).
  const dockerd = spawn('dockerd', ['--storage-driver=overlay2'], {
    stdio: ['ignore', out, out],
    detached: true,
  });
  const exited = new Promise<void>((resolve) => dockerd.once('exit', () => resolve()));
  log(`started dockerd (pid ${dockerd.pid})`);
  await waitFor('dockerd to answer', () => engineAnswers(env), { timeoutMs: 60_000, intervalMs: 500 });
  return {
    env,
    compose,
    ownEngine: true,
    async stop() {
      if (dockerd.exitCode !== null) return;
      dockerd.kill('SIGTERM');
      const timer = setTimeout(() => dockerd.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
      log('stopped dockerd');
    },
  };
}
