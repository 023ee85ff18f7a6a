import { sendProblem } from '@shipshape/observability/http';
import type { Response } from 'express';
import { problemType } from '../errors/error-catalogue.ts';

/**
 * The two codes the security middleware answers. Every service catalogue should list them (a
 * README error table documents them); the middleware writes them itself, like the inbound rate
 * limit writes `rate_limited`, so they never depend on a service's error mapper.
 */
export const securityErrorEntries = {
  unauthorized: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Forbidden' },
} as const;

/** A code of {@link securityErrorEntries}. */
export type SecurityErrorCode = keyof typeof securityErrorEntries;

/** Writes the problem+json answer of a security refusal. `detail` never holds a credential. */
export function sendSecurityProblem(
  res: Response,
  code: SecurityErrorCode,
  detail: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  const { status, title } = securityErrorEntries[code];
  sendProblem(res, { type: problemType(code), title, status, detail, code }, headers);
}
