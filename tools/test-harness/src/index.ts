// Test-only utilities shared by every workspace. Not part of the copyable packages.

// Redis
export { startRedis, type RedisServer, type RedisServerOptions } from './redis-server.ts';
export { findRedisServer, RedisServerNotFoundError } from './find-binary.ts';
export {
  findRedisCli,
  parseClusterNodes,
  servesSlot,
  startRedisCluster,
  type ClusterNodeInfo,
  type FailoverResult,
  type RedisCluster,
  type RedisClusterOptions,
} from './redis-cluster.ts';

// External tools (promtool, docker-compose, kubectl): skipped locally when missing, never in CI
export { skipWithoutTool, toolAvailable } from './tools.ts';

// Ports and waiting
export { freePort } from './free-port.ts';
export { redisPing, waitFor } from './wait.ts';

// OpenTelemetry: a local OTLP/HTTP receiver that keeps the spans it gets
export {
  startOtlpReceiver,
  type OtlpReceiver,
  type OtlpReceiverOptions,
  type ReceivedSpan,
} from './otlp-receiver.ts';

// Prometheus (needs the prometheus binary; guard with skipWithoutTool)
export { startPrometheus, type PrometheusOptions, type PrometheusServer } from './prometheus.ts';
