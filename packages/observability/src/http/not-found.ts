import type { Request, RequestHandler, Response } from 'express';
import { DEFAULT_PROBLEM_TYPE_BASE, sendProblem } from './problem-details.ts';
import { standardProblem } from './standard-problems.ts';

/** Longest path echoed in a 404 detail; the rest of a huge path is cut. */
const MAX_ECHOED_PATH = 200;

/**
 * The handler of requests no route matched: 404 `not_found` as problem+json. Mount it after
 * every route and before the error middleware.
 */
export function notFoundHandler(typeBase: string = DEFAULT_PROBLEM_TYPE_BASE): RequestHandler {
  return (req: Request, res: Response) => {
    const path = req.path.length > MAX_ECHOED_PATH ? `${req.path.slice(0, MAX_ECHOED_PATH)}…` : req.path;
    const problem = standardProblem('not_found', `No route matches ${req.method} ${path}.`);
    sendProblem(res, problem.toProblem(typeBase));
  };
}
