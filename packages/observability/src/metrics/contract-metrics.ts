import { LABEL, METRIC } from './names.ts';

/**
 * The spec (name, help, labels) of every contract metric, so that each is declared once and
 * every part of the package that records it asks the registry for the same instance.
 */
export const CONTRACT_METRICS = {
  httpServerRequestDuration: {
    name: METRIC.httpServerRequestDuration,
    help: 'Duration of inbound HTTP requests in seconds, by route template.',
    labelNames: [LABEL.method, LABEL.route, LABEL.statusCode],
  },
  httpClientRequestDuration: {
    name: METRIC.httpClientRequestDuration,
    help: 'Duration of outbound HTTP request attempts in seconds, by peer service.',
    labelNames: [LABEL.peerService, LABEL.method, LABEL.statusCode],
  },
  breakerState: {
    name: METRIC.breakerState,
    help: 'Circuit breaker state, one-hot: 1 for the current state, 0 for the others.',
    labelNames: [LABEL.name, LABEL.state],
  },
  breakerTransitions: {
    name: METRIC.breakerTransitions,
    help: 'Circuit breaker state transitions.',
    labelNames: [LABEL.name, LABEL.from, LABEL.to],
  },
  breakerCalls: {
    name: METRIC.breakerCalls,
    help: 'Calls through a circuit breaker by outcome (success, failure, slow, rejected).',
    labelNames: [LABEL.name, LABEL.outcome],
  },
  retries: {
    name: METRIC.retries,
    help: 'Retries scheduled, by the reason of the failed attempt.',
    labelNames: [LABEL.name, LABEL.reason],
  },
  retryBudgetExhausted: {
    name: METRIC.retryBudgetExhausted,
    help: 'Retries skipped because the retry budget was exhausted.',
    labelNames: [LABEL.name],
  },
  timeouts: {
    name: METRIC.timeouts,
    help: 'Calls cancelled by a timeout policy.',
    labelNames: [LABEL.name],
  },
  bulkheadInFlight: {
    name: METRIC.bulkheadInFlight,
    help: 'Calls executing inside a bulkhead.',
    labelNames: [LABEL.name],
  },
  bulkheadQueued: {
    name: METRIC.bulkheadQueued,
    help: 'Calls waiting in a bulkhead queue.',
    labelNames: [LABEL.name],
  },
  bulkheadRejected: {
    name: METRIC.bulkheadRejected,
    help: 'Calls rejected by a full bulkhead.',
    labelNames: [LABEL.name],
  },
  rateLimitDecisions: {
    name: METRIC.rateLimitDecisions,
    help: 'Rate limiter decisions (allowed, rejected).',
    labelNames: [LABEL.name, LABEL.decision],
  },
  rateLimitDegraded: {
    name: METRIC.rateLimitDegraded,
    help: '1 while the rate limiter backend is failing and its fail mode is in force, else 0.',
    labelNames: [LABEL.name],
  },
  queueJobs: {
    name: METRIC.queueJobs,
    help: 'Jobs in a queue by state, read at scrape time.',
    labelNames: [LABEL.queue, LABEL.state],
  },
  queueJobDuration: {
    name: METRIC.queueJobDuration,
    help: 'Time a worker spent on a job in seconds, by outcome.',
    labelNames: [LABEL.queue, LABEL.outcome],
  },
  queueJobWait: {
    name: METRIC.queueJobWait,
    help: 'Time a job waited in the queue before a worker started it, in seconds.',
    labelNames: [LABEL.queue],
  },
  configReloads: {
    name: METRIC.configReloads,
    help: 'Configuration reloads by source and outcome.',
    labelNames: [LABEL.source, LABEL.outcome],
  },
} as const;
