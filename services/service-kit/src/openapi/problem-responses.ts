import type { ErrorEntry } from '../errors/error-catalogue.ts';
import { componentRef, type JsonObject } from './components.ts';

/** Codes any request may meet, whatever the route. */
export const everyRequestCodes = [
  'rate_limited',
  'internal_error',
  'service_unavailable',
  'deadline_exceeded',
] as const;

/** Codes any request with a JSON body may meet. */
export const withBodyCodes = [
  'validation_failed',
  'malformed_json',
  'payload_too_large',
  'unsupported_media_type',
] as const;

/** The codes every service catalogue must hold, because every route may answer them. */
export type CommonErrorCode = (typeof everyRequestCodes)[number] | (typeof withBodyCodes)[number];

/**
 * Problem responses for `codes`, grouped by status (several codes may share one), each described
 * by its codes and titles and answering `application/problem+json` with the `Problem` schema.
 */
export function problemResponses<Code extends string>(
  catalogue: Readonly<Record<Code, ErrorEntry>>,
  codes: readonly Code[],
): Record<string, JsonObject> {
  const byStatus = new Map<number, Code[]>();
  for (const code of codes) {
    const { status } = catalogue[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<string, JsonObject> = {};
  for (const [status, list] of byStatus) {
    out[String(status)] = {
      description: list.map((code) => `\`${code}\`: ${catalogue[code].title}`).join('; '),
      content: { 'application/problem+json': { schema: { $ref: componentRef('Problem') } } },
    };
  }
  return out;
}
