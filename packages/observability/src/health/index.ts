// Public surface of the health area: liveness and readiness.
export { Health, createHealth } from './health.ts';
export type { CheckResult, HealthCheck, HealthLogger, HealthOptions, ReadinessReport } from './health.ts';
