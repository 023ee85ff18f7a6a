import type { Request, RequestHandler, Response } from 'express';
import { MetricsRegistry } from './metrics-registry.ts';
import type { ExpositionFormat } from './metrics-registry.ts';

/**
 * The exposition format an `Accept` header asks for: OpenMetrics when it lists
 * `application/openmetrics-text` with a non-zero quality, Prometheus text otherwise (the
 * format every scraper understands).
 */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  if (!accept) return 'prometheus';
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (type !== 'application/openmetrics-text') continue;
    const q = params.find((p) => p.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) return 'openmetrics';
  }
  return 'prometheus';
}

/**
 * The `GET /metrics` handler: Prometheus text by default, OpenMetrics (with exemplars linking
 * histogram buckets to traces) when the scraper sends `Accept: application/openmetrics-text`
 * (Prometheus does with `--enable-feature=exemplar-storage`).
 */
export function metricsHandler(metrics: MetricsRegistry): RequestHandler {
  return async (req: Request, res: Response) => {
    const format = negotiateFormat(req.headers.accept);
    const body = await metrics.render(format);
    res.setHeader('Content-Type', MetricsRegistry.contentType(format));
    res.setHeader('Vary', 'Accept');
    res.end(body);
  };
}
