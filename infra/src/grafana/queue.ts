import { TRAFFIC_HELP, dashboard } from './dashboard.ts';
import { lowerIsBetter, stat, text, timeseries } from './panels.ts';

/** The BullMQ `payments` queue: depth, wait, processing, outcomes and dead letters. */
export const queueDashboard = dashboard({
  uid: 'shipshape-queue',
  title: 'Shipshape / Queue',
  description:
    'The payments queue between the order and payment services: paid-lag, drain against intake, backlog age, depth by state, wait and processing time, outcomes, dead letters.',
  variables: { queue: 'label_values(queue_jobs, queue)' },
  panels: [
    text({
      title: 'Generate traffic',
      description:
        'How to make these panels move. `npm run chaos -- payment chaos.errorRate=1` fills the dead-letter queue.',
      markdown: TRAFFIC_HELP,
    }),
    stat({
      title: 'Dead letters',
      description:
        'Payment jobs that exhausted their retries (orders in payment_failed). Anything above 0 needs a person: fix the cause, then `npm run dlq -- replay`. See the DeadLetterQueueNotEmpty alert.',
      queries: [
        { expr: 'max by (queue) (queue_jobs{queue=~"$queue",state="dead_letter"})', legend: '{{queue}}' },
      ],
      unit: 'none',
      steps: lowerIsBetter(1, 1),
      width: 6,
    }),
    stat({
      title: 'Waiting jobs',
      description:
        'Jobs waiting for a worker right now. A number that keeps growing means workers are slower than orders arrive: payment is slow or down, or there are too few order replicas.',
      queries: [
        { expr: 'max by (queue) (queue_jobs{queue=~"$queue",state="waiting"})', legend: '{{queue}}' },
      ],
      unit: 'none',
      steps: lowerIsBetter(100, 1000),
      width: 6,
    }),
    stat({
      title: 'Jobs processed per second',
      description:
        'Processing attempts finished per second, all outcomes together (1 minute rate), over every worker replica.',
      queries: [
        {
          expr: 'sum by (queue) (rate(queue_job_duration_seconds_count{queue=~"$queue"}[1m]))',
          legend: '{{queue}}',
        },
      ],
      unit: 'ops',
      steps: [{ color: 'blue', value: null }],
      width: 12,
    }),
    timeseries({
      title: 'Paid-lag p50 / p99',
      description:
        'Time from the 202 of POST /orders to the order being paid (order_paid_lag_seconds): what a customer waits for the payment. Flat while payment keeps up with intake; a line that climbs with the load means the pipeline is behind (see Backlog age).',
      queries: [
        {
          expr: 'histogram_quantile(0.99, sum by (le) (rate(order_paid_lag_seconds_bucket[1m])))',
          legend: 'p99',
        },
        {
          expr: 'histogram_quantile(0.5, sum by (le) (rate(order_paid_lag_seconds_bucket[1m])))',
          legend: 'p50',
        },
      ],
      unit: 's',
      width: 8,
    }),
    timeseries({
      title: 'Drain vs intake',
      description:
        'Orders accepted per second (orders_total pending) against orders settled per second (paid, declined or failed). Drain below intake for more than a moment means a backlog is building; drain above intake is a backlog being worked off.',
      queries: [
        { expr: 'sum(rate(orders_total{status="pending"}[1m]))', legend: 'intake (accepted)' },
        {
          expr: 'sum(rate(orders_total{status=~"paid|payment_declined|payment_failed"}[1m]))',
          legend: 'drain (settled)',
        },
      ],
      unit: 'ops',
      width: 8,
    }),
    timeseries({
      title: 'Backlog age vs bound',
      description:
        'Age of the oldest order waiting to be charged (outbox, queue, being charged), per order replica, against backpressure.maxPaidLagMs. Above the bound the replicas report `behind` in GET /health and, with backpressure.shed on, answer POST /orders 503 payments_backlogged (shed per second shown).',
      queries: [
        { expr: 'max(order_payment_backlog_age_seconds)', legend: 'backlog age' },
        { expr: 'max(order_payment_backlog_max_age_seconds)', legend: 'bound' },
        { expr: 'sum(rate(order_intake_shed_total[1m]))', legend: 'shed orders/s' },
      ],
      unit: 's',
      width: 8,
    }),
    timeseries({
      title: 'Jobs by state',
      description:
        'Queue depth by state, read from Redis at scrape time (every replica reports the same queue, so the max is shown): waiting for a worker, active (being processed), delayed (waiting for a retry backoff), failed, dead_letter.',
      queries: [
        { expr: 'max by (queue, state) (queue_jobs{queue=~"$queue"})', legend: '{{queue}} {{state}}' },
      ],
      unit: 'none',
      stacked: true,
      width: 24,
    }),
    timeseries({
      title: 'Wait time p50 / p95',
      description:
        "Time from a job being queued to a worker first starting it (retries are not counted: their wait is the backoff). Grows when workers are saturated or too few. Dots are exemplars linking to a job's trace.",
      queries: [
        {
          expr: 'histogram_quantile(0.95, sum by (queue, le) (rate(queue_job_wait_seconds_bucket{queue=~"$queue"}[1m])))',
          legend: '{{queue}} p95',
          exemplar: true,
        },
        {
          expr: 'histogram_quantile(0.5, sum by (queue, le) (rate(queue_job_wait_seconds_bucket{queue=~"$queue"}[1m])))',
          legend: '{{queue}} p50',
        },
      ],
      unit: 's',
    }),
    timeseries({
      title: 'Processing time p95 by outcome',
      description:
        "Time a worker spent on one attempt, by outcome: mostly the payment call, including its retries and timeouts. Dots are exemplars: click one to see the attempt's spans in Jaeger.",
      queries: [
        {
          expr: 'histogram_quantile(0.95, sum by (queue, outcome, le) (rate(queue_job_duration_seconds_bucket{queue=~"$queue"}[1m])))',
          legend: '{{queue}} {{outcome}} p95',
          exemplar: true,
        },
      ],
      unit: 's',
    }),
    timeseries({
      title: 'Attempts by outcome',
      description:
        'Processing attempts per second by outcome. Each attempt is one run of a job: paid, declined (final), retried (a transient payment failure: the job comes back as delayed after a backoff), dead_lettered (the last attempt failed, or the charge was rejected: the job is parked in the dead-letter queue), already_settled (a duplicate or replayed job, nothing charged), failed (an unexpected error, retried).',
      queries: [
        {
          expr: 'sum by (queue, outcome) (rate(queue_job_duration_seconds_count{queue=~"$queue"}[1m]))',
          legend: '{{queue}} {{outcome}}',
        },
      ],
      unit: 'ops',
      stacked: true,
    }),
    timeseries({
      title: 'Dead letters over time',
      description:
        'Jobs in the dead-letter queue over time. A step up is a batch of orders whose payment gave up; a step down is a replay (`npm run dlq -- replay`).',
      queries: [
        {
          expr: 'max by (queue) (queue_jobs{queue=~"$queue",state="dead_letter"})',
          legend: '{{queue}} dead letters',
        },
      ],
      unit: 'none',
    }),
  ],
});
