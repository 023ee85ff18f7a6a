import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Why a request was turned away: its HTTP status and a stable code. */
export interface Refusal {
  readonly status: number;
  readonly code: 'forbidden_host' | 'cross_origin' | 'read_only' | 'unauthorized' | 'unsupported_media_type';
  readonly message: string;
}

/** Options of {@link RequestGuard}. */
export interface RequestGuardOptions {
  /** `host:port` values the console answers to (DNS rebinding guard). */
  readonly hosts: readonly string[];
  /** The system's admin token; undefined: the console is read-only. */
  readonly adminToken: string | undefined;
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * The console's protection: every request must name one of its own hosts (`Host`), and every
 * control (a POST) must come from the console's own page (`Origin` equal to its origin,
 * `Sec-Fetch-Site` same-origin when the browser sends it), be JSON (so a cross-site form cannot
 * send it without a CORS preflight, which is never granted) and carry the system's admin token
 * in `Authorization: Bearer` (a header, never a cookie: nothing is sent by the browser on its own).
 */
export class RequestGuard {
  readonly #hosts: ReadonlySet<string>;
  readonly #token: Buffer | undefined;

  constructor(options: RequestGuardOptions) {
    this.#hosts = new Set(options.hosts.map((h) => h.toLowerCase()));
    this.#token = options.adminToken === undefined ? undefined : digest(options.adminToken);
  }

  /** Whether controls can be used at all. */
  get readOnly(): boolean {
    return this.#token === undefined;
  }

  /** Checks any request: the `Host` header must be one of the console's. */
  checkHost(req: IncomingMessage): Refusal | undefined {
    const host = (req.headers.host ?? '').toLowerCase();
    if (!this.#hosts.has(host))
      return {
        status: 403,
        code: 'forbidden_host',
        message: `the console does not answer to host "${host}"`,
      };
    return undefined;
  }

  /** Checks a control request (after {@link checkHost}). */
  checkControl(req: IncomingMessage): Refusal | undefined {
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    if (origin !== `http://${req.headers.host ?? ''}` || (site !== undefined && site !== 'same-origin'))
      return {
        status: 403,
        code: 'cross_origin',
        message: 'controls are only accepted from the console page itself (Origin)',
      };
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json'))
      return { status: 415, code: 'unsupported_media_type', message: 'controls take application/json' };
    if (this.#token === undefined)
      return {
        status: 403,
        code: 'read_only',
        message: 'the console was started without the system admin token: read-only',
      };
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    if (given === '' || !timingSafeEqual(digest(given), this.#token))
      return { status: 401, code: 'unauthorized', message: 'the admin token is missing or wrong' };
    return undefined;
  }
}
