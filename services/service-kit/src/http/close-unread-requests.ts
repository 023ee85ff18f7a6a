import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Options of {@link closeUnreadRequests}. */
export interface CloseUnreadRequestsOptions {
  /**
   * How long the connection stays half-closed after such an answer before it is destroyed, in
   * ms: time for the client to read the answer before a reset could discard it.
   */
  lingerMs: number;
}

/**
 * Closes the connection after an answer given before the request body was read to its end: a
 * 504 while a client trickles its body, a 413, a 429 or 401 before the body. Node would
 * otherwise keep reading (and discarding) that body until `requestTimeout`, so a client sending
 * one byte a second holds its socket long after its answer. Here the socket is ended once the
 * answer is out (FIN: no further request on it) and destroyed `lingerMs` later if the client
 * has not closed it by then — Apache's "lingering close", bounded.
 */
export function closeUnreadRequests(options: CloseUnreadRequestsOptions): RequestHandler {
  const { lingerMs } = options;
  if (!Number.isFinite(lingerMs) || lingerMs < 0) {
    throw new RangeError(`lingerMs must be a finite number >= 0, got ${lingerMs}`);
  }
  return (req: Request, res: Response, next: NextFunction) => {
    res.once('finish', () => {
      const socket = req.socket;
      if (req.complete || socket.destroyed) return;
      socket.end();
      const timer = setTimeout(() => socket.destroy(), lingerMs);
      timer.unref();
      socket.once('close', () => clearTimeout(timer));
    });
    next();
  };
}
