import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { formatLogLine } from './log-format.ts';
import { LineSplitter } from './line-splitter.ts';
import { LogRing } from './log-ring.ts';
import { guardChild } from './orphan-guard.ts';
import type { ProcessExit, ServiceProcess } from './service-process.ts';
import { serviceDirectory, serviceMain, type ServiceName } from './services.ts';
import type { LogMode } from './stack-options.ts';

/** What {@link ChildServiceProcess} needs; {@link startStack} fills it in. */
export interface ChildServiceProcessOptions {
  readonly service: ServiceName;
  readonly replica: number;
  readonly port: number;
  /** The complete environment of the child (PORT included). */
  readonly env: Readonly<Record<string, string>>;
  readonly logs: LogMode;
  readonly logLines: number;
  readonly readyTimeoutMs: number;
  readonly stopTimeoutMs: number;
}

/** Lines of output quoted in start errors. */
const quotedLines = 30;

/** A {@link ServiceProcess} backed by `node --import @shipshape/observability/register dist/main.js`. */
export class ChildServiceProcess implements ServiceProcess {
  readonly service: ServiceName;
  readonly replica: number;
  readonly name: string;
  readonly port: number;
  readonly url: string;
  readonly #options: ChildServiceProcessOptions;
  readonly #ring: LogRing;
  #child: ChildProcess | undefined;
  #exited: Promise<ProcessExit> | undefined;
  #lastExit: ProcessExit | undefined;
  readonly #exitListeners = new Set<(exit: ProcessExit) => void>();

  constructor(options: ChildServiceProcessOptions) {
    this.#options = options;
    this.service = options.service;
    this.replica = options.replica;
    this.name = `${options.service}-${options.replica}`;
    this.port = options.port;
    this.url = `http://127.0.0.1:${options.port}`;
    this.#ring = new LogRing(options.logLines);
  }

  get pid(): number | undefined {
    return this.running ? this.#child?.pid : undefined;
  }

  get running(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  get lastExit(): ProcessExit | undefined {
    return this.#lastExit;
  }

  onExit(listener: (exit: ProcessExit) => void): () => void {
    this.#exitListeners.add(listener);
    return () => void this.#exitListeners.delete(listener);
  }

  logs(): string[] {
    return this.#ring.lines();
  }

  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running (pid ${this.pid})`);
    this.#spawn();
    await this.waitReady();
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<ProcessExit | undefined> {
    if (!this.running || !this.#exited) return undefined;
    const exited = this.#exited;
    this.#child?.kill(signal);
    return exited;
  }

  async stop(): Promise<ProcessExit | undefined> {
    if (!this.running || !this.#exited) return undefined;
    const exited = this.#exited;
    this.#child?.kill('SIGTERM');
    const timer = setTimeout(() => this.#child?.kill('SIGKILL'), this.#options.stopTimeoutMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async waitReady(timeoutMs = this.#options.readyTimeoutMs): Promise<void> {
    const exited = this.#exited;
    if (!this.running || !exited) throw this.#startError('is not running');
    const deadline = Date.now() + timeoutMs;
    let gone = false;
    void exited.then(() => (gone = true));
    for (;;) {
      if (await this.#isReady()) return;
      if (gone) throw this.#startError(`exited (${describeExit(this.#lastExit)}) before it was ready`);
      if (Date.now() > deadline) throw this.#startError(`was not ready after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async #isReady(): Promise<boolean> {
    try {
      const response = await fetch(`${this.url}/ready`, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      return response.status === 200;
    } catch {
      return false;
    }
  }

  #spawn(): void {
    const child = spawn(
      process.execPath,
      ['--import', '@shipshape/observability/register', serviceMain(this.service)],
      {
        cwd: serviceDirectory(this.service),
        env: this.#options.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group: a Ctrl-C in the terminal reaches only this process, which then
        // stops the services in order (order first) instead of all of them at once.
        detached: true,
      },
    );
    this.#child = child;
    const release = guardChild(child);
    for (const stream of [child.stdout, child.stderr]) {
      const splitter = new LineSplitter();
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => splitter.push(chunk).forEach((line) => this.#line(line)));
      stream.on('end', () => splitter.flush().forEach((line) => this.#line(line)));
    }
    this.#exited = new Promise<ProcessExit>((resolve) => {
      child.once('error', (error) => this.#line(`[stack] could not start ${this.name}: ${error.message}`));
      // 'close' (not 'exit') so the last output lines are in the ring before anyone looks.
      void once(child, 'close').then(([code, signal]) => {
        release();
        this.#lastExit = { code: code as number | null, signal: signal as NodeJS.Signals | null };
        resolve(this.#lastExit);
        for (const listener of [...this.#exitListeners]) listener(this.#lastExit);
      });
    });
  }

  #line(line: string): void {
    this.#ring.push(line);
    if (this.#options.logs === 'prefixed')
      process.stdout.write(`${formatLogLine(this.name, this.service, line)}\n`);
  }

  #startError(what: string): Error {
    const tail = this.logs().slice(-quotedLines).join('\n');
    return new Error(`${this.name} (port ${this.port}) ${what}; last output:\n${tail}`);
  }
}

/** `exit code 1` or `signal SIGKILL`. */
export function describeExit(exit: ProcessExit | undefined): string {
  if (!exit) return 'still running';
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}
