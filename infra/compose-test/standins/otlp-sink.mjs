// Stand-in for Jaeger in the compose test: receives OTLP/HTTP JSON traces on :4318 and answers
// the Jaeger query API calls the test makes on :16686, from what it received:
//   GET /api/services             → {"data": ["order", "payment", "user"]}
//   GET /api/traces?service=order → {"data": [{"traceID": "…", "spans": N}, …]} (newest first)
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';

/** service name → (trace id → span count), newest trace last; at most 1,000 traces each. */
const traces = new Map();
const MAX_TRACES = 1000;

function record(body) {
  for (const resourceSpans of body.resourceSpans ?? []) {
    const attribute = (resourceSpans.resource?.attributes ?? []).find((a) => a.key === 'service.name');
    const service = attribute?.value?.stringValue ?? 'unknown_service';
    if (!traces.has(service)) traces.set(service, new Map());
    const byTrace = traces.get(service);
    for (const scope of resourceSpans.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        const id = String(span.traceId ?? '').toLowerCase();
        byTrace.set(id, (byTrace.get(id) ?? 0) + 1);
        if (byTrace.size > MAX_TRACES) byTrace.delete(byTrace.keys().next().value);
      }
    }
  }
}

function json(response, status, value) {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

const receiver = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    if (request.method !== 'POST' || request.url !== '/v1/traces') return json(response, 404, {});
    if (!String(request.headers['content-type']).includes('json')) return json(response, 415, {});
    try {
      record(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      json(response, 200, {});
    } catch {
      json(response, 400, {});
    }
  });
});

const query = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://sink');
  if (url.pathname === '/api/services') return json(response, 200, { data: [...traces.keys()].sort() });
  if (url.pathname === '/api/traces') {
    const byTrace = traces.get(url.searchParams.get('service') ?? '') ?? new Map();
    const data = [...byTrace]
      .reverse()
      .slice(0, 20)
      .map(([traceID, spans]) => ({ traceID, spans }));
    return json(response, 200, { data });
  }
  json(response, 404, {});
});

receiver.listen(4318, '0.0.0.0');
query.listen(16686, '0.0.0.0');
const stop = () => {
  receiver.close();
  query.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
