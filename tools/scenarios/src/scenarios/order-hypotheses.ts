import { seconds, type Hypothesis } from '../framework/hypothesis.ts';
import type { OrderAudit } from '../observe/order-audit.ts';

/** Observations that carry an order audit. */
export interface AuditedObservations {
  readonly audit: OrderAudit;
}

/**
 * "Every accepted order is paid, with exactly one captured payment" — the end state of every
 * scenario whose fault is transient (declines are off, so every order must end `paid`).
 */
export function paidExactlyOnce<Obs extends AuditedObservations>(statement: string): Hypothesis<Obs> {
  return {
    id: 'paid-exactly-once',
    statement,
    check: ({ audit }) => {
      const paid = audit.statuses['paid'] ?? 0;
      return {
        pass:
          audit.created > 0 &&
          paid === audit.created &&
          audit.paidNotCapturedOnce === 0 &&
          audit.chargedTwice === 0,
        observed: `${paid}/${audit.created} paid, ${audit.chargedTwice} charged twice, ${audit.paidNotCapturedOnce} paid without exactly one capture`,
        expected: 'all paid, each captured once',
      };
    },
  };
}

/** "No accepted order is lost or stuck": every order answered 202 reached a final status. */
export function zeroLost<Obs extends AuditedObservations>(
  statement = 'no accepted order is lost or stuck',
): Hypothesis<Obs> {
  return {
    id: 'zero-lost',
    statement,
    check: ({ audit }) => {
      const missing = audit.statuses['missing'] ?? 0;
      return {
        pass: audit.created > 0 && audit.unsettled === 0 && missing === 0,
        observed:
          `${audit.unsettled} unsettled, ${missing} missing of ${audit.created}` +
          (audit.unsettled > 0 ? ` (e.g. ${audit.unsettledSample.join(', ')})` : '') +
          `; settled in ${seconds(audit.settleMs)}`,
        expected: '0 unsettled, 0 missing',
      };
    },
  };
}
