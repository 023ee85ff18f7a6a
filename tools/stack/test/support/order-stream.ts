import { postOrder, type OrderAnswer } from './flow-client.ts';

/** A running stream of `POST /orders`; see {@link startOrderStream}. */
export interface OrderStream {
  /** Stops sending and resolves once every sent request was answered (or failed). */
  stop(): Promise<OrderStreamResult>;
}

/** What a stream saw. */
export interface OrderStreamResult {
  /** Ids of the orders answered 202, in sending order. */
  readonly accepted: string[];
  /** Answers by status (`202`, `503`, `error` for a refused connection, …). */
  readonly statuses: Record<string, number>;
}

/**
 * Sends one `POST /orders` (new idempotency key each) every `1000 / ratePerSecond` ms without
 * waiting for answers (open loop: an outage does not slow the stream down), to the URL `baseUrl()`
 * returns at the time of sending.
 */
export function startOrderStream(baseUrl: () => string, userId: string, ratePerSecond: number): OrderStream {
  const inFlight = new Set<Promise<void>>();
  const answers: OrderAnswer[] = [];
  let sent = 0;
  const timer = setInterval(() => {
    const slot = sent++;
    const request = postOrder(baseUrl(), userId).then((answer) => {
      answers[slot] = answer;
      inFlight.delete(request);
    });
    inFlight.add(request);
  }, 1000 / ratePerSecond);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all([...inFlight]);
      const statuses: Record<string, number> = {};
      const accepted: string[] = [];
      for (const answer of answers.filter((a) => a !== undefined)) {
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
        if (answer.order) accepted.push(answer.order.id);
      }
      return { accepted, statuses };
    },
  };
}
