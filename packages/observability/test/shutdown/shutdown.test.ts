import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/server.ts', import.meta.url));

interface Line {
  event?: string;
  msg?: string;
  level?: string;
  count?: number;
  port?: number;
  name?: string;
}

/** A fixture server in a child process, with its stdout parsed as JSON lines. */
class Fixture {
  readonly child: ChildProcess;
  readonly lines: Line[] = [];
  readonly exited: Promise<number | null>;
  stderr = '';

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, [fixture], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffer = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      for (const part of parts) if (part.trim()) this.lines.push(JSON.parse(part) as Line);
    });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  async waitFor(what: string, match: (line: Line) => boolean, timeoutMs = 15_000): Promise<Line> {
    const start = Date.now();
    for (;;) {
      const found = this.lines.find(match);
      if (found) return found;
      if (Date.now() - start > timeoutMs || this.child.exitCode !== null) {
        throw new Error(
          `fixture never logged ${what}; stdout: ${JSON.stringify(this.lines)}; stderr: ${this.stderr}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  messages(): string[] {
    return this.lines
      .filter((l) => l.msg !== undefined || l.event === 'closer')
      .map((l) => l.msg ?? `closer ${l.name}`);
  }
}

interface Answer {
  status: number;
  connection: string | undefined;
  body: string;
}

function get(port: number, path: string, agent: Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('graceful shutdown of a real process', () => {
  const fixtures: Fixture[] = [];
  const start = (env: Record<string, string>) => {
    const f = new Fixture(env);
    fixtures.push(f);
    return f;
  };
  afterEach(() => {
    for (const f of fixtures.splice(0)) if (f.child.exitCode === null) f.child.kill('SIGKILL');
  });

  it('answers all 20 in-flight requests after SIGTERM, closes in reverse order and exits 0', async () => {
    const server = start({ HANDLER_DELAY_MS: '500', PRE_STOP_DELAY_MS: '100' });
    const { port } = await server.waitFor('listening', (l) => l.event === 'listening');
    const agent = new Agent({ keepAlive: true, maxSockets: 20 });
    const answers = Promise.all(Array.from({ length: 20 }, () => get(port!, '/slow', agent)));
    await server.waitFor('20 accepted requests', (l) => l.event === 'accepted' && l.count === 20);
    server.child.kill('SIGTERM');

    const results = await answers;
    expect(results.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 200));
    expect(results.map((r) => r.body)).toEqual(Array.from({ length: 20 }, () => '{"ok":true}'));
    // Keep-alive clients are told not to reuse their sockets.
    expect(results.map((r) => r.connection)).toEqual(Array.from({ length: 20 }, () => 'close'));
    expect(await server.exited).toBe(0);
    expect(server.messages()).toEqual([
      'shutdown started',
      'server drained',
      'closer queue',
      'closed',
      'closer redis',
      'closed',
      'closer telemetry',
      'closed',
      'shutdown complete',
    ]);
    agent.destroy();
  }, 30_000);

  it('refuses new connections once draining', async () => {
    const server = start({ HANDLER_DELAY_MS: '1500', PRE_STOP_DELAY_MS: '0' });
    const { port } = await server.waitFor('listening', (l) => l.event === 'listening');
    const agent = new Agent({ keepAlive: false });
    const inFlight = get(port!, '/slow', agent);
    await server.waitFor('an accepted request', (l) => l.event === 'accepted');
    server.child.kill('SIGTERM');
    await server.waitFor('shutdown started', (l) => l.msg === 'shutdown started');
    await expect(get(port!, '/health', agent)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect((await inFlight).status).toBe(200);
    expect(await server.exited).toBe(0);
  }, 30_000);

  it('exits 1 at once on a second signal, with a log line', async () => {
    const server = start({ HANDLER_DELAY_MS: '20000' });
    const { port } = await server.waitFor('listening', (l) => l.event === 'listening');
    const pending = get(port!, '/slow', new Agent()).catch((error: unknown) => error);
    await server.waitFor('an accepted request', (l) => l.event === 'accepted');
    server.child.kill('SIGTERM');
    await server.waitFor('shutdown started', (l) => l.msg === 'shutdown started');
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(1);
    expect(server.lines.find((l) => l.level === 'error')?.msg).toBe('second shutdown request, forcing exit');
    expect(server.messages()).not.toContain('shutdown complete');
    await pending;
  }, 30_000);

  it('exits 1 when in-flight requests outlive the drain deadline, with a log line', async () => {
    const server = start({ HANDLER_DELAY_MS: '20000', DRAIN_TIMEOUT_MS: '300' });
    const { port } = await server.waitFor('listening', (l) => l.event === 'listening');
    const pending = get(port!, '/slow', new Agent()).catch((error: unknown) => error);
    await server.waitFor('an accepted request', (l) => l.event === 'accepted');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(1);
    expect(server.lines.find((l) => l.level === 'error')?.msg).toBe(
      'drain deadline passed with requests in flight, forcing exit',
    );
    expect(await pending).toMatchObject({ code: 'ECONNRESET' });
  }, 30_000);
});
