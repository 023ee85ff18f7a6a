import type { IncomingHttpHeaders } from 'node:http';
import { errors, type Dispatcher } from 'undici';
import type { AttemptCancel } from './abort-scope.ts';

/** Status, headers and the whole body bytes of one answer. */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Dispatches one request on an undici dispatcher and collects the whole answer into a
 * buffer. It uses undici's handler API instead of `request()`: no Readable stream per body and
 * no AbortSignal plumbing, which is most of what the client would otherwise add to a bare
 * `pool.request()` (bench/client.bench.ts). Cancellation comes from an {@link AttemptCancel}:
 * the promise rejects at once; a request still waiting for a socket is aborted before any byte
 * is written, one in progress is aborted through undici's controller.
 */
export function collectResponse(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  cancel: AttemptCancel,
  maxBytes: number,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const handler = new CollectingHandler(resolve, reject, maxBytes);
    const onCancel = (): void => handler.abort(cancel.reason ?? new Error('aborted'));
    cancel.once('abort', onCancel);
    handler.onSettled = () => cancel.removeListener('abort', onCancel);
    try {
      dispatcher.dispatch(options, handler);
    } catch (error) {
      handler.fail(error as Error);
    }
  });
}

class CollectingHandler implements Dispatcher.DispatchHandler {
  onSettled: () => void = () => undefined;
  readonly #resolve: (response: RawResponse) => void;
  readonly #reject: (error: Error) => void;
  #controller: Dispatcher.DispatchController | undefined;
  #abortReason: Error | undefined;
  #settled = false;
  #status = 0;
  #headers: IncomingHttpHeaders = {};
  #chunks: Buffer[] = [];
  #length = 0;
  readonly #maxBytes: number;

  constructor(resolve: (response: RawResponse) => void, reject: (error: Error) => void, maxBytes: number) {
    this.#resolve = resolve;
    this.#reject = reject;
    this.#maxBytes = maxBytes;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    // Cancelled while waiting for a socket: stop before anything is written.
    if (this.#abortReason !== undefined) controller.abort(this.#abortReason);
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
  ): void {
    if (statusCode < 200) return; // 1xx informational answers precede the real one
    this.#status = statusCode;
    this.#headers = headers;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#length += chunk.length;
    if (this.#length > this.#maxBytes) {
      this.abort(new errors.ResponseExceededMaxSizeError(`response body exceeds ${this.#maxBytes} bytes`));
      return;
    }
    this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.#settle()) {
      const body = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks, this.#length);
      this.#resolve({ status: this.#status, headers: this.#headers, body });
    }
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.fail(error);
  }

  /** Cancels the request; the caller's promise rejects with `reason` right away. */
  abort(reason: Error): void {
    this.#abortReason = reason;
    this.#controller?.abort(reason);
    this.fail(reason);
  }

  fail(error: Error): void {
    if (this.#settle()) this.#reject(error);
  }

  #settle(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    this.onSettled();
    return true;
  }
}
