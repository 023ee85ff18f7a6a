/**
 * Trace context across the queue. The job data carries the W3C context of the request that
 * created the order (written into the outbox with the order). The relay opens a PRODUCER span
 * `publish payments` under it and stores the producer's context in the job; the worker opens a
 * CONSUMER span `process payments` under that, and the payment client's CLIENT spans nest under
 * the consumer. So one trace runs: POST /orders → publish → process → POST /payments → payment.
 */
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
} from '@opentelemetry/api';
import type { PaymentJob } from '../storage/payment-job.ts';

const tracer = () => trace.getTracer('@shipshape/order-service/payments');

function attributesOf(job: PaymentJob, queue: string, operation: 'send' | 'process'): Attributes {
  return {
    'messaging.system': 'bullmq',
    'messaging.destination.name': queue,
    'messaging.operation.type': operation,
    'messaging.message.id': job.orderId,
    'order.id': job.orderId,
  };
}

async function inSpan<T>(
  name: string,
  kind: SpanKind,
  parent: PaymentJob,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parentContext = propagation.extract(ROOT_CONTEXT, parent.traceContext ?? {});
  return tracer().startActiveSpan(name, { kind, attributes }, parentContext, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Runs `publish` (the queue add) inside a PRODUCER span under the job's trace context and hands
 * it the job with the producer's context in place of the request's, so the consumer's span is
 * the producer's child. Without a registered tracer the job passes through unchanged.
 */
export function withPublishSpan<T>(
  queue: string,
  job: PaymentJob,
  publish: (job: PaymentJob) => Promise<T>,
): Promise<T> {
  return inSpan(`publish ${queue}`, SpanKind.PRODUCER, job, attributesOf(job, queue, 'send'), () => {
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    const traced = Object.keys(carrier).length > 0 ? { ...job, traceContext: carrier } : job;
    return publish(traced);
  });
}

/**
 * {@link withPublishSpan} for a batch: one PRODUCER span per job, each under its own job's trace
 * context, and `publish` (one bulk add) called once with every job carrying its producer's
 * context. The spans end when `publish` settles, all marked failed if it rejects.
 */
export async function withPublishSpans<T>(
  queue: string,
  jobs: readonly PaymentJob[],
  publish: (jobs: PaymentJob[]) => Promise<T>,
): Promise<T> {
  const spans: Span[] = [];
  const traced = jobs.map((job) => {
    const parentContext = propagation.extract(ROOT_CONTEXT, job.traceContext ?? {});
    const span = tracer().startSpan(
      `publish ${queue}`,
      { kind: SpanKind.PRODUCER, attributes: attributesOf(job, queue, 'send') },
      parentContext,
    );
    spans.push(span);
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(parentContext, span), carrier);
    return Object.keys(carrier).length > 0 ? { ...job, traceContext: carrier } : job;
  });
  try {
    return await publish(traced);
  } catch (error) {
    for (const span of spans) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    }
    throw error;
  } finally {
    for (const span of spans) span.end();
  }
}

/**
 * Runs `work` (one attempt of a payment job) inside a CONSUMER span whose parent is the context
 * carried by the job, so the outbound call to payment joins the order's trace.
 */
export function withProcessSpan<T>(
  queue: string,
  job: PaymentJob,
  attempt: number,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const attributes = { ...attributesOf(job, queue, 'process'), 'messaging.bullmq.attempt': attempt };
  return inSpan(`process ${queue}`, SpanKind.CONSUMER, job, attributes, work);
}
