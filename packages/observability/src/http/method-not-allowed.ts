import type { Request, RequestHandler, Response } from 'express';
import { DEFAULT_PROBLEM_TYPE_BASE, sendProblem } from './problem-details.ts';
import { standardProblem } from './standard-problems.ts';

/**
 * A handler answering 405 `method_not_allowed` with the `Allow` header, for the methods a path
 * does not support. Mount it with `.all()` after the supported methods:
 * `app.route('/users').get(list).post(create).all(methodNotAllowed(['GET', 'POST']))`.
 * `HEAD` is added when `GET` is allowed, since express answers HEAD with the GET handler.
 */
export function methodNotAllowed(
  allowed: readonly string[],
  typeBase: string = DEFAULT_PROBLEM_TYPE_BASE,
): RequestHandler {
  if (allowed.length === 0) throw new RangeError('allowed must list at least one method, got []');
  const methods = allowed.map((m) => m.toUpperCase());
  if (methods.includes('GET') && !methods.includes('HEAD')) methods.push('HEAD');
  const allow = methods.join(', ');
  return (req: Request, res: Response) => {
    const problem = standardProblem(
      'method_not_allowed',
      `${req.method} is not allowed here; allowed: ${allow}.`,
      {
        headers: { Allow: allow },
      },
    );
    sendProblem(res, problem.toProblem(typeBase), problem.headers);
  };
}
