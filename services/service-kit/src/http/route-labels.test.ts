import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpServerMetrics, MetricsRegistry } from '@shipshape/observability/metrics';
import { parseExposition, samplesOf } from '@shipshape/test-harness/exposition';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { routeLabels } from './route-labels.ts';

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** An app that answers 429 before its router for `?limited`, like an inbound rate limit. */
async function start(): Promise<{ url: string; metrics: MetricsRegistry }> {
  const metrics = new MetricsRegistry({ service: 'test', defaultMetrics: false });
  const app = express();
  app.use(httpServerMetrics(metrics));
  app.use(routeLabels({ paths: { '/orders': {}, '/orders/{id}': {}, '/a.b/{x}/c': {} } }));
  app.use((req, res, next) => {
    if ('limited' in req.query) res.status(429).end();
    else next();
  });
  app.get('/orders/:id', (_req, res) => void res.json({}));
  app.use((_req, res) => void res.status(404).end());
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, metrics };
}

async function routesOf(metrics: MetricsRegistry): Promise<string[]> {
  const exposition = parseExposition(await metrics.render('prometheus'));
  return samplesOf(exposition, 'http_server_request_duration_seconds_count')
    .map(({ labels }) => `${labels['status_code']} ${labels['route']}`)
    .sort();
}

describe('routeLabels', () => {
  it('labels answers given before the router with the route template of their path', async () => {
    const { url, metrics } = await start();
    await fetch(`${url}/orders?limited`, { method: 'POST' });
    await fetch(`${url}/orders/abc-123?limited`);
    expect(await routesOf(metrics)).toEqual(['429 /orders', '429 /orders/:id']);
  });

  it('keeps the template of routes the router matched', async () => {
    const { url, metrics } = await start();
    await fetch(`${url}/orders/abc-123`);
    await fetch(`${url}/orders/abc-123/`);
    expect(await routesOf(metrics)).toEqual(['200 /orders/:id']);
  });

  it('leaves paths of no template unmatched, so random paths share one series', async () => {
    const { url, metrics } = await start();
    await fetch(`${url}/nope/${crypto.randomUUID()}`);
    await fetch(`${url}/orders/a/b?limited`);
    await fetch(`${url}/aXb/1/c?limited`);
    // Two 429s of two paths, one series.
    expect(await routesOf(metrics)).toEqual(['404 unmatched', '429 unmatched']);
  });

  it('matches literal dots in templates literally', async () => {
    const { url, metrics } = await start();
    await fetch(`${url}/a.b/7/c?limited`);
    expect(await routesOf(metrics)).toEqual(['429 /a.b/:x/c']);
  });
});
