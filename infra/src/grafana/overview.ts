import { TRAFFIC_HELP, dashboard } from './dashboard.ts';
import { lowerIsBetter, stat, text, timeseries } from './panels.ts';

const svc = 'service=~"$service"';

/** RED per service and route, the POST /orders SLO, and the traffic between services. */
export const overviewDashboard = dashboard({
  uid: 'shipshape-overview',
  title: 'Shipshape / Overview',
  description:
    'Rate, errors and duration of every service and route, the POST /orders SLO, and service-to-service traffic.',
  variables: { service: 'label_values(http_server_request_duration_seconds_count, service)' },
  panels: [
    text({
      title: 'Generate traffic',
      description:
        'How to make these panels move: the load generator, fault scenarios and runtime chaos settings.',
      markdown: TRAFFIC_HELP,
    }),
    stat({
      title: 'POST /orders errors (1 h)',
      description:
        'Share of POST /orders requests answered with a 5xx over the last hour. SLO: 99.9 % succeed, so the error budget is 0.1 %; orange from half the budget, red above it.',
      queries: [{ expr: 'slo:orders_create_errors:ratio_rate1h', legend: 'error ratio' }],
      unit: 'percentunit',
      steps: lowerIsBetter(0.0005, 0.001),
    }),
    stat({
      title: 'POST /orders slower than 500 ms (1 h)',
      description:
        'Share of POST /orders requests that took longer than 500 ms over the last hour. SLO: 99 % within 500 ms, so the budget is 1 %; red above it.',
      queries: [{ expr: 'slo:orders_create_slow:ratio_rate1h', legend: 'slow ratio' }],
      unit: 'percentunit',
      steps: lowerIsBetter(0.005, 0.01),
    }),
    stat({
      title: 'Instances up',
      description:
        'Replicas per service that answered their last scrape (Prometheus `up`). Fewer than you run means a replica is down or hung: see the InstanceDown alert.',
      queries: [{ expr: 'sum by (job) (up{job=~"user|order|payment"})', legend: '{{job}}' }],
      unit: 'none',
      steps: [
        { color: 'red', value: null },
        { color: 'green', value: 1 },
      ],
      width: 6,
    }),
    stat({
      title: 'Requests per second',
      description:
        'Requests per second each service answers, all routes and statuses together (1 minute rate).',
      queries: [{ expr: `service:http_server_requests:rate1m{${svc}}`, legend: '{{service}}' }],
      unit: 'reqps',
      steps: [{ color: 'blue', value: null }],
      width: 6,
    }),
    timeseries({
      title: 'Request rate by route',
      description:
        'Requests per second per service, method and route template (1 minute rate). Routes are templates such as /orders/:id, never raw paths; `unmatched` is every request that hit no route.',
      queries: [
        {
          expr: `service_method_route:http_server_requests:rate1m{${svc}}`,
          legend: '{{service}} {{method}} {{route}}',
        },
      ],
      unit: 'reqps',
    }),
    timeseries({
      title: 'Responses by status code',
      description:
        "Responses per second by service and HTTP status. 4xx are the client's doing (bad input, 404, 409, 422, 429 rate limited); 5xx are the service's (503 upstream_unavailable when a breaker is open or a dependency is down).",
      queries: [
        {
          expr: `sum by (service, status_code) (rate(http_server_request_duration_seconds_count{${svc}}[1m]))`,
          legend: '{{service}} {{status_code}}',
        },
      ],
      unit: 'reqps',
      stacked: true,
    }),
    timeseries({
      title: 'Error ratio (5xx) by route',
      description:
        'Share of requests per route answered with a 5xx (1 minute window). Anything above 0.1 % on POST /orders burns its availability budget; see the OrdersAvailability alerts.',
      queries: [
        {
          expr: `service_method_route:http_server_error_ratio:rate1m{${svc}}`,
          legend: '{{service}} {{method}} {{route}}',
        },
      ],
      unit: 'percentunit',
    }),
    timeseries({
      title: 'Latency p50 / p95 / p99 by service',
      description:
        'Server-side request duration percentiles per service, estimated from the histogram (1 minute window). Dots are exemplars: a real request near that latency; click one to open its trace in Jaeger and see which span was slow.',
      queries: [
        {
          expr: `histogram_quantile(0.99, sum by (service, le) (rate(http_server_request_duration_seconds_bucket{${svc}}[1m])))`,
          legend: '{{service}} p99',
          exemplar: true,
        },
        {
          expr: `histogram_quantile(0.95, sum by (service, le) (rate(http_server_request_duration_seconds_bucket{${svc}}[1m])))`,
          legend: '{{service}} p95',
        },
        {
          expr: `histogram_quantile(0.5, sum by (service, le) (rate(http_server_request_duration_seconds_bucket{${svc}}[1m])))`,
          legend: '{{service}} p50',
        },
      ],
      unit: 's',
    }),
    timeseries({
      title: 'Latency p95 by route',
      description:
        'p95 request duration per route template (1 minute window), from the recording rules. The POST /orders latency SLO is 99 % within 500 ms.',
      queries: [
        {
          expr: `service_method_route:http_server_request_duration_seconds:p95_1m{${svc}}`,
          legend: '{{service}} {{method}} {{route}}',
        },
      ],
      unit: 's',
    }),
    timeseries({
      title: 'Traffic between services',
      description:
        'Outbound requests per second from each service to each peer (service → peer_service), as the calling service client sees them, retries included. order → user checks users; order → payment charges queued orders; load → * is the load generator (its own scrape job) when it runs.',
      queries: [
        {
          expr: `sum by (service, peer_service) (rate(http_client_request_duration_seconds_count{${svc}}[1m]))`,
          legend: '{{service}} → {{peer_service}}',
        },
      ],
      unit: 'reqps',
      width: 8,
    }),
    timeseries({
      title: 'Outbound error ratio by peer',
      description:
        'Share of outbound calls per peer that failed: a 5xx answer or a transport error (status_code="error": refused, reset, timed out). Rising here before inbound errors rise means retries and breakers are absorbing a sick dependency.',
      queries: [
        {
          expr: `service_peer:http_client_error_ratio:rate1m{${svc}}`,
          legend: '{{service}} → {{peer_service}}',
        },
      ],
      unit: 'percentunit',
      width: 8,
    }),
    timeseries({
      title: 'Outbound latency p95 by peer',
      description:
        "p95 duration of outbound calls per peer, one attempt each (1 minute window). Dots are exemplars linking to the trace of a call. A peer slower than its caller's timeout shows up as timeouts on the Resilience dashboard.",
      queries: [
        {
          expr: `histogram_quantile(0.95, sum by (service, peer_service, le) (rate(http_client_request_duration_seconds_bucket{${svc}}[1m])))`,
          legend: '{{service}} → {{peer_service}}',
          exemplar: true,
        },
      ],
      unit: 's',
      width: 8,
    }),
    timeseries({
      title: 'Orders by status',
      description:
        'Orders per second reaching each status: pending when accepted, then paid, payment_declined, or payment_failed (retries exhausted, in the dead-letter queue). Not stacked: every order counts once as pending and once more when it settles, so pending minus the settled lines is the backlog building up.',
      queries: [{ expr: 'sum by (status) (rate(orders_total[1m]))', legend: '{{status}}' }],
      unit: 'ops',
    }),
    timeseries({
      title: 'Payments by outcome',
      description:
        'New payments per second at the payment service by outcome: captured or declined by the (simulated) processor. Replays of an Idempotency-Key are not counted again. A transient processor failure creates no payment: it is a 503 processor_unavailable (Responses by status code) and a retried attempt on the Queue dashboard.',
      queries: [{ expr: 'sum by (outcome) (rate(payments_total[1m]))', legend: '{{outcome}}' }],
      unit: 'ops',
      stacked: true,
    }),
  ],
});
