import type { ServerOptions } from 'node:http';

/**
 * How long a client may hold a connection without completing a request, as the service kit
 * configures every service's HTTP(S) server (`http.*` keys). All in milliseconds.
 */
export interface ServerLimits {
  /**
   * Longest wait for a request's complete headers. Node starts this clock when the connection
   * is accepted, so it is also the limit of a connection that never sends a byte. Past it the
   * server answers 408 and closes the connection.
   */
  readonly headersTimeoutMs: number;
  /** Longest wait for a whole request, headers and body (408 and close past it). */
  readonly requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open after a response. */
  readonly keepAliveTimeoutMs: number;
  /**
   * How often the server looks for connections past the two timeouts above: a limit is enforced
   * up to this much late. (Node's default, 30 s, let silent sockets live 60–90 s.)
   */
  readonly connectionsCheckingIntervalMs: number;
}

/**
 * The limits as `http.createServer` / `https.createServer` options (`connectionsCheckingInterval`
 * exists only as a constructor option, so the limits are given at creation, not set later).
 */
export function httpServerOptions(limits: ServerLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: limits.connectionsCheckingIntervalMs,
  };
}
