import { z } from 'zod';

/**
 * The zod schema of an RFC 9457 problem document (`application/problem+json`) whose `code` is one
 * of `codes`. Each service builds it from its catalogue, so the OpenAPI `Problem` component lists
 * exactly the codes the service can answer.
 */
export function createProblemSchema<const Code extends string>(codes: readonly Code[]) {
  return z.object({
    type: z.url(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(codes),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  });
}
