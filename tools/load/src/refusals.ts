import { serviceOfKind, type ServiceName } from './request-builder.ts';
import type { RequestKind } from './mix.ts';
import type { LoadResult } from './run-load.ts';

/**
 * Share of completed requests answered 429 from which the summary says that the run measured
 * the services' inbound rate limiter rather than the flow. Below it, a few 429s are part of
 * the picture (a spike meeting the limit); at it or above, they are what the user mostly saw.
 */
export const refusalNoteShare = 0.1;

/** The 429 answers of a run, by the service that gave them. */
export interface RateLimitRefusals {
  /** Completed requests answered 429. */
  readonly refused: number;
  /** Completed requests (any status, transport failures included). */
  readonly completed: number;
  /** refused / completed, 0 when nothing completed. */
  readonly share: number;
  /** Refusals per service, most first; services without any are left out. */
  readonly byService: readonly (readonly [ServiceName, number])[];
}

/** Counts the run's 429 answers per service (from the per-kind status counts). */
export function rateLimitRefusals(result: Pick<LoadResult, 'completed' | 'kinds'>): RateLimitRefusals {
  const byService = new Map<ServiceName, number>();
  for (const [kind, figures] of Object.entries(result.kinds)) {
    const refused = figures.statuses['429'] ?? 0;
    if (refused === 0) continue;
    const service = serviceOfKind[kind as RequestKind];
    byService.set(service, (byService.get(service) ?? 0) + refused);
  }
  const refused = [...byService.values()].reduce((sum, n) => sum + n, 0);
  return {
    refused,
    completed: result.completed,
    share: result.completed > 0 ? refused / result.completed : 0,
    byService: [...byService].sort(([, a], [, b]) => b - a),
  };
}

/**
 * The summary's note when at least {@link refusalNoteShare} of the run was refused: it names
 * the limiter, the share refused per service and the setting to change, or undefined.
 */
export function formatRefusalNote(refusals: RateLimitRefusals): string | undefined {
  if (refusals.refused === 0 || refusals.share < refusalNoteShare) return undefined;
  const [first] = refusals.byService[0]!;
  const perService = refusals.byService.map(([service, count]) => `${service} ${count}`).join(', ');
  return (
    `RATE LIMITED: ${refusals.refused} of ${refusals.completed} requests (${percent(refusals.share)}) ` +
    `were refused with 429 by the services' inbound rate limiter (${perService}): this run measured ` +
    `the limiter, not the flow. The limit is per client, and this generator is one client: raise ` +
    `rateLimit.limit (RATE_LIMIT__LIMIT=5000 npm start, or docker compose up; at runtime ` +
    `npm run chaos -- ${first} rateLimit.limit=5000), or lower --rate.`
  );
}

/** `78.5%`, one decimal. */
export function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
