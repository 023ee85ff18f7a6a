import type { ChargeOutcome, ChargeRequest, PaymentProcessor } from './payment-processor.ts';

/** A processor for tests: counts calls and answers with `answer` (which may wait or throw). */
export interface CountingProcessor extends PaymentProcessor {
  readonly calls: ChargeRequest[];
}

/** Builds a {@link CountingProcessor}. */
export function countingProcessor(
  answer: (request: ChargeRequest) => Promise<ChargeOutcome> = () => Promise.resolve({ status: 'captured' }),
): CountingProcessor {
  const calls: ChargeRequest[] = [];
  return {
    calls,
    charge(request) {
      calls.push(request);
      return answer(request);
    },
  };
}
