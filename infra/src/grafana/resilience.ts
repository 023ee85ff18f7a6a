import { TRAFFIC_HELP, dashboard } from './dashboard.ts';
import { stateTimeline, text, timeseries } from './panels.ts';

const svc = 'service=~"$service"';

/**
 * One row per breaker: the one-hot state gauge folded into one number (closed 0, half_open 1,
 * open 2, isolated 3) so a state timeline can colour it.
 */
const BREAKER_STATE = `max by (service, name) (
  resilience_circuit_breaker_state{${svc},state="half_open"} * 1
  + ignoring(state) resilience_circuit_breaker_state{${svc},state="open"} * 2
  + ignoring(state) resilience_circuit_breaker_state{${svc},state="isolated"} * 3
)`;

/** What every resilience policy did: breakers, retries, timeouts, bulkheads, rate limits. */
export const resilienceDashboard = dashboard({
  uid: 'shipshape-resilience',
  title: 'Shipshape / Resilience',
  description:
    'Circuit breakers, retries and retry budgets, timeouts, bulkheads, hedged requests, adaptive concurrency limits and distributed rate limits.',
  // Every service that exports any resilience metric: the breakers are the order service's,
  // but every service has an inbound rate limiter.
  variables: { service: 'label_values({__name__=~"resilience_.+"}, service)' },
  panels: [
    text({
      title: 'Generate traffic',
      description:
        'How to make these panels move. Faults make them interesting: a scenario or a chaos setting.',
      markdown: TRAFFIC_HELP,
    }),
    stateTimeline({
      title: 'Circuit breaker state',
      description:
        'State of every circuit breaker over time, one row per service and breaker (replicas merged: the worst state wins). Closed: calls flow. Open: calls fail fast with no request sent, after too many failures or slow calls. Half-open: a few trial calls decide whether to close again. Isolated: held open by hand.',
      queries: [{ expr: BREAKER_STATE, legend: '{{service}} / {{name}}' }],
      states: [
        { value: 0, text: 'closed', color: 'green' },
        { value: 1, text: 'half_open', color: 'yellow' },
        { value: 2, text: 'open', color: 'red' },
        { value: 3, text: 'isolated', color: 'purple' },
      ],
    }),
    timeseries({
      title: 'Breaker transitions',
      description:
        'State changes per minute by breaker, from → to. A breaker that keeps going open → half_open → open is probing a dependency that has not recovered yet.',
      queries: [
        {
          expr: `sum by (service, name, from, to) (increase(resilience_circuit_breaker_transitions_total{${svc}}[1m]))`,
          legend: '{{service}}/{{name}} {{from}} → {{to}}',
        },
      ],
      unit: 'short',
    }),
    timeseries({
      title: 'Breaker call outcomes',
      description:
        'Calls per second through each breaker by outcome: success, failure, slow (over the slow-call threshold) and rejected (not sent because the breaker was open). Rejected calls are the breaker protecting the dependency and the caller.',
      queries: [
        {
          expr: `sum by (service, name, outcome) (rate(resilience_circuit_breaker_calls_total{${svc}}[1m]))`,
          legend: '{{service}}/{{name}} {{outcome}}',
        },
      ],
      unit: 'ops',
      stacked: true,
    }),
    timeseries({
      title: 'Retries by reason',
      description:
        'Retries per second by policy and reason (the error code that caused them). Retries multiply load on a struggling dependency; the retry budget caps them.',
      queries: [
        {
          expr: `sum by (service, name, reason) (rate(resilience_retries_total{${svc}}[1m]))`,
          legend: '{{service}}/{{name}} {{reason}}',
        },
      ],
      unit: 'ops',
      width: 8,
    }),
    timeseries({
      title: 'Retry budget exhausted',
      description:
        'Retries per second that were NOT made because the retry budget (retries as a share of calls) was spent. Non-zero means the dependency fails so often that retrying would amplify the outage; the original error goes back to the caller.',
      queries: [
        {
          expr: `sum by (service, name) (rate(resilience_retry_budget_exhausted_total{${svc}}[1m]))`,
          legend: '{{service}}/{{name}}',
        },
      ],
      unit: 'ops',
      width: 8,
    }),
    timeseries({
      title: 'Timeouts',
      description:
        'Calls per second abandoned by a timeout policy (its own limit or the request deadline from x-request-timeout-ms). Each one is also a failure for the breaker and may be retried.',
      queries: [
        {
          expr: `sum by (service, name) (rate(resilience_timeouts_total{${svc}}[1m]))`,
          legend: '{{service}}/{{name}}',
        },
      ],
      unit: 'ops',
      width: 8,
    }),
    timeseries({
      title: 'Bulkhead in flight and queued',
      description:
        'Concurrent calls inside each bulkhead (in flight) and calls waiting for a slot (queued), summed over replicas. In flight pinned at the limit with a growing queue means the dependency is slower than the offered load.',
      queries: [
        {
          expr: `sum by (service, name) (resilience_bulkhead_in_flight{${svc}})`,
          legend: '{{service}}/{{name}} in flight',
        },
        {
          expr: `sum by (service, name) (resilience_bulkhead_queued{${svc}})`,
          legend: '{{service}}/{{name}} queued',
        },
      ],
      unit: 'short',
    }),
    timeseries({
      title: 'Bulkhead rejections',
      description:
        'Calls per second refused because the bulkhead and its queue were full: load shed at once instead of piling up and exhausting memory or sockets.',
      queries: [
        {
          expr: `sum by (service, name) (rate(resilience_bulkhead_rejected_total{${svc}}[1m]))`,
          legend: '{{service}}/{{name}}',
        },
      ],
      unit: 'ops',
    }),
    timeseries({
      title: 'Hedged requests',
      description:
        'Hedges per second by client: sent (a copy of a slow attempt to another endpoint), won (the copy answered first; the slow attempt was cancelled) and skipped by reason (budget: the retry budget is spent, so a slow upstream never gets twice the load; no_endpoint: no other endpoint; concurrency_limit). Many wins point at one slow replica.',
      queries: [
        {
          expr: `sum by (service, name) (rate(resilience_hedges_sent_total{${svc}}[1m]))`,
          legend: '{{service}}/{{name}} sent',
        },
        {
          expr: `sum by (service, name) (rate(resilience_hedges_won_total{${svc}}[1m]))`,
          legend: '{{service}}/{{name}} won',
        },
        {
          expr: `sum by (service, name, reason) (rate(resilience_hedges_skipped_total{${svc}}[1m]))`,
          legend: '{{service}}/{{name}} skipped ({{reason}})',
        },
      ],
      unit: 'ops',
      width: 8,
    }),
    timeseries({
      title: 'Adaptive concurrency limit',
      description:
        'Per limiter, summed over replicas: the limit learnt from latency (gradient2 or AIMD) and the calls in flight under it. The limit falls when calls slow down (a queue forms at the upstream) and grows back when they are fast again; in flight pinned at the limit means the upstream is the bottleneck.',
      queries: [
        {
          expr: `sum by (service, name) (resilience_concurrency_limit{${svc}})`,
          legend: '{{service}}/{{name}} limit',
        },
        {
          expr: `sum by (service, name) (resilience_concurrency_limit_in_flight{${svc}})`,
          legend: '{{service}}/{{name}} in flight',
        },
      ],
      unit: 'short',
      width: 8,
    }),
    timeseries({
      title: 'Concurrency limit rejections',
      description:
        'Calls per second refused at once because the adaptive limit was reached (not sent; the services answer 503 with Retry-After, the payment worker delays the charge without spending an attempt): load shed before a queue forms.',
      queries: [
        {
          expr: `sum by (service, name) (rate(resilience_concurrency_limit_rejected_total{${svc}}[1m]))`,
          legend: '{{service}}/{{name}}',
        },
      ],
      unit: 'ops',
      width: 8,
    }),
    timeseries({
      title: 'Rate limit decisions',
      description:
        'Inbound requests per second per limiter, allowed or rejected (429 rate_limited with Retry-After). The limits are shared by all replicas through Redis, so scaling out does not raise them.',
      queries: [
        {
          expr: `sum by (service, name, decision) (rate(resilience_rate_limit_decisions_total{${svc}}[1m]))`,
          legend: '{{service}}/{{name}} {{decision}}',
        },
      ],
      unit: 'reqps',
      stacked: true,
    }),
    stateTimeline({
      title: 'Rate limiter degraded',
      description:
        'Per limiter: degraded while its Redis backend fails and its fail mode (open: allow all, closed: reject all) is in force; ok otherwise. Several services degraded at once means Redis is down (RedisUnreachable).',
      queries: [
        {
          expr: `max by (service, name) (resilience_rate_limit_degraded{${svc}})`,
          legend: '{{service}}/{{name}}',
        },
      ],
      states: [
        { value: 0, text: 'ok', color: 'green' },
        { value: 1, text: 'degraded', color: 'red' },
      ],
      width: 12,
    }),
  ],
});
