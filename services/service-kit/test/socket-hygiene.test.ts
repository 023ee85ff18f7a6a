import { connect, type Socket } from 'node:net';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import express from 'express';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { serviceConfigShape } from '../src/config/service-config.ts';
import { createServiceApp } from '../src/http/service-app.ts';
import { useServiceApp } from '../src/testing/service-app.ts';

// Raw-socket abuse of a service's HTTP server as `runService` builds it (the kit's `http.*`
// limits, the app skeleton): slow headers, a slow body, a truncated body and 2,000 silent
// connections. Every socket must be closed by the server within its limit — bounds here are
// generous multiples of the configured limits, never exact timings — and `/health` must keep
// answering meanwhile.

const redis = useRedisServer();

const limits = {
  headersTimeoutMs: 1_000,
  requestTimeoutMs: 2_000,
  keepAliveTimeoutMs: 1_000,
  connectionsCheckingIntervalMs: 200,
  lingerMs: 500,
  maxTimeoutMs: 5_000,
};
/** A socket must be closed within this multiple of its limit (plus one checking interval). */
const slack = 4;
const within = (limitMs: number): number => slack * (limitMs + limits.connectionsCheckingIntervalMs);

const schema = z.object({ ...serviceConfigShape({ port: 0 }) });
const startApp = useServiceApp(() => redis.url, {
  service: 'hygiene',
  schema,
  createApp: ({ config, metrics, logger, health }) =>
    createServiceApp({
      config,
      metrics,
      logger,
      health,
      openApi: {},
      routes: () => express.Router().post('/echo', (req, res) => void res.json(req.body)),
      mapError: () => undefined,
    }),
});

const start = () => startApp({ values: { http: limits } });

/** A raw client connection that records what the server sent and when it closed the socket. */
interface RawClient {
  readonly socket: Socket;
  /** Everything the server sent, as text. */
  received(): string;
  /** Resolves with the ms from `connect` to the socket's close. */
  readonly closed: Promise<number>;
}

function rawClient(url: string): Promise<RawClient> {
  const { port } = new URL(url);
  const startedAt = performance.now();
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => void (text += chunk));
    // A reset after the server's answer is a close like any other here.
    socket.on('error', () => undefined);
    const closed = new Promise<number>((done) =>
      socket.once('close', () => done(performance.now() - startedAt)),
    );
    socket.once('connect', () => resolve({ socket, received: () => text, closed }));
    socket.once('error', reject);
  });
}

/** Writes `text` one character every `everyMs` until the socket closes; resolves when it has. */
function trickle(socket: Socket, text: string, everyMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || !socket.writable) return void clearInterval(timer);
    socket.write(text[i % text.length]!);
    i += 1;
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}

/** Latencies of `count` sequential GET /health, in ms, sorted. */
async function healthLatencies(url: string, count: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const startedAt = performance.now();
    const res = await fetch(`${url}/health`);
    await res.arrayBuffer();
    expect(res.status).toBe(200);
    latencies.push(performance.now() - startedAt);
  }
  return latencies.sort((a, b) => a - b);
}

describe('a service under raw-socket abuse', () => {
  it('answers 408 to headers that trickle in and closes the socket within http.headersTimeoutMs', async () => {
    const app = await start();
    const client = await rawClient(app.url);
    client.socket.write('GET /health HTTP/1.1\r\nHost: x\r\n');
    trickle(client.socket, 'X-Slow: aaaaaaaa\r\n', 50);
    expect(await client.closed).toBeLessThan(within(limits.headersTimeoutMs));
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('answers a body trickling past its deadline 504 and closes the socket within http.lingerMs after', async () => {
    const app = await start();
    const client = await rawClient(app.url);
    client.socket.write(
      'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n' +
        'x-request-timeout-ms: 300\r\n\r\n{"a":"',
    );
    trickle(client.socket, 'a', 50);
    expect(await client.closed).toBeLessThan(within(300 + limits.lingerMs));
    expect(client.received()).toMatch(/^HTTP\/1\.1 504 /);
    expect(client.received()).toContain('"code":"deadline_exceeded"');
  });

  it('answers 408 to a truncated body (fewer bytes than Content-Length, then silence) within http.requestTimeoutMs', async () => {
    const app = await start();
    const client = await rawClient(app.url);
    client.socket.write(
      'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":',
    );
    expect(await client.closed).toBeLessThan(within(limits.requestTimeoutMs));
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes an idle keep-alive connection within http.keepAliveTimeoutMs of its last answer', async () => {
    const app = await start();
    const client = await rawClient(app.url);
    client.socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await client.closed).toBeLessThan(within(limits.keepAliveTimeoutMs));
    expect(client.received()).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('closes 2,000 connections that never send a byte within http.headersTimeoutMs, and /health stays responsive', async () => {
    const app = await start();
    const clients: RawClient[] = [];
    // In batches, so the listen backlog never overflows into SYN retries.
    for (let batch = 0; batch < 20; batch += 1) {
      clients.push(...(await Promise.all(Array.from({ length: 100 }, () => rawClient(app.url)))));
    }
    const latencies = await healthLatencies(app.url, 100);
    const closedAfter = await Promise.all(clients.map((client) => client.closed));
    // The last connection was opened after the first batch; each is measured from its own connect.
    expect(Math.max(...closedAfter)).toBeLessThan(within(limits.headersTimeoutMs));
    expect(clients.filter((client) => !client.socket.destroyed)).toHaveLength(0);
    const p99 = latencies[Math.ceil(latencies.length * 0.99) - 1]!;
    expect(p99).toBeLessThan(1_000);
  });
});
