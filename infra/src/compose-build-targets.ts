/**
 * Which Dockerfile stage each compose service builds, and whether that stage is the one that
 * runs it. Docker builds the **last** stage when a build names no `target`, so a compose file
 * that forgets it silently ships whatever stage happens to be last: this once made all three
 * services come up as the load generator.
 */
import { posix } from 'node:path';

/** One `FROM … AS name` stage, with what it sets or inherits from an earlier stage. */
export interface DockerfileStage {
  readonly name: string;
  /** The image or earlier stage it starts from. */
  readonly from: string;
  /** CMD in exec form (own or inherited), as a word list. */
  readonly cmd: readonly string[] | undefined;
  /** Whether it has a HEALTHCHECK (own or inherited). */
  readonly healthcheck: boolean;
}

/** Parses the stages of a Dockerfile, in order (continuation lines joined, comments dropped). */
export function parseStages(dockerfile: string): DockerfileStage[] {
  const lines = dockerfile
    .replace(/\\\r?\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: DockerfileStage[] = [];
  let current: { name: string; from: string; cmd?: string[]; healthcheck: boolean } | undefined;
  const close = (): void => {
    if (current) stages.push({ ...current, cmd: current.cmd });
  };
  for (const line of lines) {
    const [instruction = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    switch (instruction.toUpperCase()) {
      case 'FROM': {
        close();
        const match = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(args);
        const from = match?.[1] ?? '';
        const parent = stages.find((stage) => stage.name === from);
        current = {
          name: match?.[2] ?? String(stages.length),
          from,
          cmd: parent?.cmd ? [...parent.cmd] : undefined,
          healthcheck: parent?.healthcheck ?? false,
        };
        break;
      }
      case 'CMD':
        if (current)
          current.cmd = args.startsWith('[') ? (JSON.parse(args) as string[]) : ['/bin/sh', '-c', args];
        break;
      case 'HEALTHCHECK':
        if (current) current.healthcheck = !/^NONE$/i.test(args);
        break;
      default:
        break;
    }
  }
  close();
  return stages;
}

/** The parts of a compose service these checks read. */
export interface ComposeBuildService {
  build?: string | { context?: string; dockerfile?: string; target?: string };
  command?: string | string[];
  healthcheck?: unknown;
}

/**
 * Problems with the stage each service builds from `dockerfilePath` (relative to the compose
 * file's folder): a service must name its `target`, the stage must exist, and it must be the
 * stage that runs the service — the one whose CMD the compose `command` starts with, or, for a
 * service without a `command`, a stage that starts the service (`dist/main.js`) and has the
 * HEALTHCHECK compose relies on. An empty list means every build is right.
 */
export function composeBuildProblems(
  dockerfile: string,
  services: Record<string, ComposeBuildService>,
  dockerfilePath = 'Dockerfile',
): string[] {
  const stages = parseStages(dockerfile);
  const problems: string[] = [];
  for (const [name, service] of Object.entries(services)) {
    if (service.build === undefined) continue;
    const build = typeof service.build === 'string' ? { context: service.build } : service.build;
    if (posix.join(build.context ?? '.', build.dockerfile ?? 'Dockerfile') !== dockerfilePath) continue;
    if (build.target === undefined) {
      problems.push(
        `${name}: build names no target, so Docker builds the last stage (${stages.at(-1)?.name ?? 'none'})`,
      );
      continue;
    }
    const stage = stages.find((candidate) => candidate.name === build.target);
    if (!stage) {
      problems.push(`${name}: target ${build.target} is not a stage of ${dockerfilePath}`);
      continue;
    }
    const command =
      typeof service.command === 'string' ? service.command.split(/\s+/) : (service.command ?? undefined);
    if (command !== undefined) {
      const cmd = stage.cmd ?? [];
      if (cmd.length === 0 || cmd.some((word, index) => command[index] !== word)) {
        problems.push(
          `${name}: runs "${command.join(' ')}" but stage ${stage.name} is made for "${cmd.join(' ')}"`,
        );
      }
    } else {
      if (!stage.cmd?.some((word) => word.endsWith('dist/main.js'))) {
        problems.push(
          `${name}: stage ${stage.name} does not start a service (its CMD is "${stage.cmd?.join(' ') ?? 'none'}")`,
        );
      }
      if (service.healthcheck !== undefined && !stage.healthcheck) {
        problems.push(`${name}: stage ${stage.name} has no HEALTHCHECK`);
      }
    }
  }
  return problems;
}

/** `docker build` command lines (in docs or comments) that name no `--target`. */
export function untargetedBuildLines(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => /\bdocker build\b/.test(line) && /--build-arg\s+SERVICE=/.test(line))
    .filter((line) => !/--target[ =]\S+/.test(line))
    .map((line) => line.trim());
}
