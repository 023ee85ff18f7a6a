import { TRAFFIC_HELP, dashboard } from './dashboard.ts';
import { text, timeseries } from './panels.ts';

const sel = 'service=~"$service"';

/** Node.js runtime health per instance, from prom-client's default metrics. */
export const runtimeDashboard = dashboard({
  uid: 'shipshape-runtime',
  title: 'Shipshape / Runtime',
  description:
    'Event-loop lag, heap, garbage collection, CPU and memory of every Node.js instance, and the memory of Redis.',
  variables: { service: 'label_values(process_resident_memory_bytes, service)' },
  panels: [
    text({
      title: 'Generate traffic',
      description: 'How to put the runtimes under load so these panels show something.',
      markdown: TRAFFIC_HELP,
    }),
    timeseries({
      title: 'Event-loop lag p99',
      description:
        'p99 delay of the event loop per instance: how long a ready callback waited to run. Above ~100 ms every request on that instance is slowed by it; look for CPU-bound work or long GC pauses.',
      queries: [{ expr: `nodejs_eventloop_lag_p99_seconds{${sel}}`, legend: '{{service}} {{instance}}' }],
      unit: 's',
    }),
    timeseries({
      title: 'CPU',
      description:
        'CPU seconds per second per instance (1.0 = one core busy), user plus system. A Node.js process runs JavaScript on one core: near 1.0 it is saturated and latency climbs.',
      queries: [
        {
          expr: `rate(process_cpu_user_seconds_total{${sel}}[1m]) + rate(process_cpu_system_seconds_total{${sel}}[1m])`,
          legend: '{{service}} {{instance}}',
        },
      ],
      unit: 'percentunit',
    }),
    timeseries({
      title: 'Heap used and total',
      description:
        'V8 heap in use and heap reserved per instance. The heap is capped at 75 % of the container memory limit (--max-old-space-size-percentage=75); used heap that keeps climbing after GCs is a leak.',
      queries: [
        { expr: `nodejs_heap_size_used_bytes{${sel}}`, legend: '{{service}} {{instance}} used' },
        { expr: `nodejs_heap_size_total_bytes{${sel}}`, legend: '{{service}} {{instance}} total' },
      ],
      unit: 'bytes',
    }),
    timeseries({
      title: 'Resident memory (RSS)',
      description:
        'Memory the operating system counts for the process: heap plus buffers, native code and stacks. This is what the container memory limit (infra/README.md) kills at.',
      queries: [{ expr: `process_resident_memory_bytes{${sel}}`, legend: '{{service}} {{instance}}' }],
      unit: 'bytes',
    }),
    timeseries({
      title: 'GC time per second by kind',
      description:
        'Seconds spent in garbage collection per second, per instance and GC kind (minor: young generation, major: full mark-sweep-compact). Major GC time rising with heap near its limit precedes an out-of-memory crash.',
      queries: [
        {
          expr: `sum by (service, instance, kind) (rate(nodejs_gc_duration_seconds_sum{${sel}}[1m]))`,
          legend: '{{service}} {{instance}} {{kind}}',
        },
      ],
      unit: 's',
    }),
    timeseries({
      title: 'Redis memory',
      description:
        'Memory each Redis node has allocated (INFO memory used_memory) against its own maxmemory, per node (redis_node): the one node, or every master of a Redis Cluster (replicas copy their master and are not read). Every service reports the same nodes, hence max by node. With retention it climbs to a plateau and stays there; noeviction refuses every write to a node once it reaches its maxmemory, and RedisMemoryHigh warns at 80 % of any node. The plateau to expect at a given order rate: services/order README, "Retention".',
      queries: [
        { expr: 'max by (redis_node) (redis_memory_used_bytes)', legend: '{{redis_node}} used' },
        { expr: 'max by (redis_node) (redis_memory_max_bytes)', legend: '{{redis_node}} maxmemory' },
      ],
      unit: 'bytes',
    }),
    timeseries({
      title: 'Active handles and open file descriptors',
      description:
        'Live libuv handles (sockets, timers, servers) and open file descriptors per instance. Steady growth under steady load is a connection or timer leak.',
      queries: [
        { expr: `nodejs_active_handles_total{${sel}}`, legend: '{{service}} {{instance}} handles' },
        { expr: `process_open_fds{${sel}}`, legend: '{{service}} {{instance}} fds' },
      ],
      unit: 'short',
    }),
  ],
});
