import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { DEFAULT_PROBLEM_TYPE_BASE, sendProblem } from './problem-details.ts';
import { standardProblem } from './standard-problems.ts';

/**
 * Answers 415 `unsupported_media_type` to a request that carries a body in anything but JSON
 * (`application/json` or a `+json` type). Without it, `express.json()` silently skips such a
 * body and the handler sees `req.body` undefined, a confusing 400 at best.
 */
export function requireJsonBody(typeBase: string = DEFAULT_PROBLEM_TYPE_BASE): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const hasBody =
      req.headers['transfer-encoding'] !== undefined ||
      (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
    if (!hasBody || req.is(['application/json', '+json'])) return next();
    const type = req.headers['content-type'] ?? 'none';
    const problem = standardProblem(
      'unsupported_media_type',
      `The request body must be application/json, got ${type.slice(0, 100)}.`,
    );
    sendProblem(res, problem.toProblem(typeBase));
  };
}
