/**
 * One compose project as the test drives it: the repository's own docker-compose.yml plus the
 * given override files, under a fixed project name, with every command's output appended to a
 * log file of the test run.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@shipshape/test-harness';
import { mustRun, runCommand, type CommandResult, type Engine } from './engine.ts';

/** What `docker inspect` says of a container, the fields the checks read. */
export interface ContainerState {
  id: string;
  name: string;
  service: string;
  status: string;
  health: string | undefined;
  exitCode: number;
  user: string;
  readOnlyRootfs: boolean;
  capDrop: string[];
  capAdd: string[];
  securityOpt: string[];
  memoryLimit: number;
  ip: string | undefined;
  startedAt: string;
  finishedAt: string;
}

interface Inspected {
  Id: string;
  Name: string;
  State: {
    Status: string;
    Health?: { Status: string };
    ExitCode: number;
    StartedAt: string;
    FinishedAt: string;
  };
  Config: { User: string; Labels: Record<string, string> };
  HostConfig: {
    ReadonlyRootfs: boolean;
    CapDrop: string[] | null;
    CapAdd: string[] | null;
    SecurityOpt: string[] | null;
    Memory: number;
  };
  NetworkSettings: { Networks: Record<string, { IPAddress: string }> };
}

/** A compose project of the repository. */
export class ComposeProject {
  readonly name: string;
  private readonly engine: Engine;
  private readonly repoRoot: string;
  private readonly files: readonly string[];
  private readonly logFile: string;
  private readonly extraEnv: NodeJS.ProcessEnv;

  /**
   * @param engine the engine and compose command to use
   * @param repoRoot the repository root (compose files are relative to it)
   * @param name the compose project name
   * @param files compose files, the project's own first, then overrides
   * @param logFile where every command's output is appended
   * @param extraEnv variables for compose's interpolation (e.g. LOAD_ARGS)
   */
  constructor(
    engine: Engine,
    repoRoot: string,
    name: string,
    files: readonly string[],
    logFile: string,
    extraEnv: NodeJS.ProcessEnv = {},
  ) {
    this.engine = engine;
    this.repoRoot = repoRoot;
    this.name = name;
    this.files = files;
    this.logFile = logFile;
    this.extraEnv = extraEnv;
  }

  private get env(): NodeJS.ProcessEnv {
    return { ...this.engine.env, ...this.extraEnv };
  }

  /** Runs one compose command (`up -d`, `stop payment`, …); output goes to the log file. */
  async run(args: readonly string[], timeoutMs = 300_000): Promise<CommandResult> {
    const [command, ...prefix] = this.engine.compose;
    const full = [
      ...prefix,
      '-p',
      this.name,
      ...this.files.flatMap((file) => ['-f', join(this.repoRoot, file)]),
      ...args,
    ];
    const started = Date.now();
    const result = await runCommand(command!, full, { env: this.env, cwd: this.repoRoot, timeoutMs });
    appendFileSync(
      this.logFile,
      `\n$ ${this.engine.compose.join(' ')} ${args.join(' ')}  # exit ${result.status} after ${Date.now() - started} ms\n${result.stdout}${result.stderr}`,
    );
    return result;
  }

  /** Like {@link run}, throwing with the output's tail when the command fails. */
  async mustRun(args: readonly string[], timeoutMs?: number): Promise<string> {
    const result = await this.run(args, timeoutMs);
    if (result.status !== 0) {
      const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-30).join('\n');
      throw new Error(`compose ${args.join(' ')} exited ${result.status}:\n${tail}`);
    }
    return result.stdout;
  }

  /** The containers of the project (stopped ones included), optionally of one service. */
  async containers(service?: string): Promise<ContainerState[]> {
    const filters = ['--filter', `label=com.docker.compose.project=${this.name}`];
    if (service) filters.push('--filter', `label=com.docker.compose.service=${service}`);
    const ids = (await mustRun('docker', ['ps', '-aq', ...filters], { env: this.env }))
      .split('\n')
      .filter(Boolean);
    if (ids.length === 0) return [];
    const inspected = JSON.parse(
      await mustRun('docker', ['inspect', ...ids], { env: this.env }),
    ) as Inspected[];
    return inspected.map((c) => ({
      id: c.Id,
      name: c.Name.replace(/^\//, ''),
      service: c.Config.Labels['com.docker.compose.service'] ?? '',
      status: c.State.Status,
      health: c.State.Health?.Status,
      exitCode: c.State.ExitCode,
      user: c.Config.User,
      readOnlyRootfs: c.HostConfig.ReadonlyRootfs,
      capDrop: c.HostConfig.CapDrop ?? [],
      capAdd: c.HostConfig.CapAdd ?? [],
      securityOpt: c.HostConfig.SecurityOpt ?? [],
      memoryLimit: c.HostConfig.Memory,
      ip: Object.values(c.NetworkSettings.Networks)[0]?.IPAddress || undefined,
      startedAt: c.State.StartedAt,
      finishedAt: c.State.FinishedAt,
    }));
  }

  /** The one container of a service (fails when there is not exactly one). */
  async container(service: string): Promise<ContainerState> {
    const found = await this.containers(service);
    if (found.length !== 1) throw new Error(`expected one ${service} container, found ${found.length}`);
    return found[0]!;
  }

  /** Runs a command in a service's running container. */
  exec(service: string, command: readonly string[]): Promise<CommandResult> {
    return this.run(['exec', '-T', service, ...command], 60_000);
  }

  /** Waits until every container of the services reports `healthy`; resolves with the time it took. */
  async waitHealthy(services: readonly string[], timeoutMs: number): Promise<number> {
    const started = Date.now();
    await waitFor(
      `${services.join(', ')} to be healthy`,
      async () => {
        const states = await this.containers();
        return services.every((service) => {
          const mine = states.filter((state) => state.service === service);
          return mine.length > 0 && mine.every((state) => state.health === 'healthy');
        });
      },
      { timeoutMs, intervalMs: 1_000 },
    );
    return Date.now() - started;
  }

  /** `docker stats` memory (bytes used, limit) of every running container of the project. */
  async memory(): Promise<Map<string, { used: string; limit: string }>> {
    const ids = (await this.containers()).filter((c) => c.status === 'running');
    const out = await mustRun(
      'docker',
      ['stats', '--no-stream', '--format', '{{.Name}}\t{{.MemUsage}}', ...ids.map((c) => c.id)],
      { env: this.env, timeoutMs: 60_000 },
    );
    const memory = new Map<string, { used: string; limit: string }>();
    for (const line of out.split('\n').filter(Boolean)) {
      const [name, usage] = line.split('\t');
      const [used, limit] = (usage ?? '').split(' / ');
      const service = ids.find((c) => c.name === name)?.service ?? name!;
      memory.set(service, { used: used!.trim(), limit: (limit ?? '').trim() });
    }
    return memory;
  }

  /** Removes everything the project made: containers, networks, volumes. */
  down(): Promise<CommandResult> {
    return this.run(['--profile', 'load', 'down', '-v', '--remove-orphans', '--timeout', '10'], 180_000);
  }
}
