import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startFrontDoor, type FrontDoor } from '../src/environment/front-door.ts';

interface Backend {
  readonly url: string;
  ready: boolean;
  hits: number;
  /** `GET /ready` probes answered 503. */
  readonly refusedProbes: number;
  close(): Promise<void>;
}

async function backend(): Promise<Backend> {
  const state = { ready: true, hits: 0, refusedProbes: 0 };
  const server: Server = createServer((req, res) => {
    if (req.url === '/ready') {
      if (!state.ready) state.refusedProbes++;
      res.writeHead(state.ready ? 200 : 503).end();
      return;
    }
    state.hits++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ port: port() }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (): number => (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port()}`,
    get ready() {
      return state.ready;
    },
    set ready(value: boolean) {
      state.ready = value;
    },
    get hits() {
      return state.hits;
    },
    set hits(value: number) {
      state.hits = value;
    },
    get refusedProbes() {
      return state.refusedProbes;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function get(door: FrontDoor, times: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) {
    const response = await fetch(`${door.url}/orders/x`);
    await response.body?.cancel();
    statuses.push(response.status);
  }
  return statuses;
}

describe('front door', () => {
  it('balances over the backends round-robin', async () => {
    const a = await backend();
    const b = await backend();
    const door = await startFrontDoor({ backends: [a.url, b.url] });
    open.push(a, b, door);
    expect(await get(door, 6)).toEqual([200, 200, 200, 200, 200, 200]);
    expect([a.hits, b.hits]).toEqual([3, 3]);
    expect(door.stats().forwarded).toEqual({ [a.url]: 3, [b.url]: 3 });
  });

  it('sends nothing to a drained backend until it is put back', async () => {
    const a = await backend();
    const b = await backend();
    const door = await startFrontDoor({ backends: [a.url, b.url] });
    open.push(a, b, door);
    door.drain(a.url);
    await get(door, 4);
    expect([a.hits, b.hits]).toEqual([0, 4]);
    door.undrain(a.url);
    await get(door, 4);
    expect(a.hits).toBe(2);
  });

  it('follows readiness: a backend answering 503 on /ready leaves the rotation', async () => {
    const a = await backend();
    const b = await backend();
    const door = await startFrontDoor({ backends: [a.url, b.url], readinessIntervalMs: 20 });
    open.push(a, b, door);
    b.ready = false;
    // The door has seen a refused probe once a second one is sent (it polls every 20 ms).
    await vi.waitFor(() => expect(b.refusedProbes).toBeGreaterThanOrEqual(2), { timeout: 5_000 });
    await get(door, 4);
    expect([a.hits, b.hits]).toEqual([4, 0]);
  });

  it('answers 503 no_backend when nothing is in rotation and 502 when the backend is gone', async () => {
    const a = await backend();
    const door = await startFrontDoor({ backends: [a.url], readinessIntervalMs: 60_000 });
    open.push(door);
    door.drain(a.url);
    const none = await fetch(`${door.url}/x`);
    expect(none.status).toBe(503);
    expect(((await none.json()) as { code: string }).code).toBe('no_backend');
    door.undrain(a.url);
    await a.close();
    const gone = await fetch(`${door.url}/x`);
    expect(gone.status).toBe(502);
    await gone.body?.cancel();
    expect(door.stats()).toMatchObject({ upstreamErrors: 1, noBackend: 1 });
  });
});
