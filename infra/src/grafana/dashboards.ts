import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { overviewDashboard } from './overview.ts';
import { queueDashboard } from './queue.ts';
import { resilienceDashboard } from './resilience.ts';
import { runtimeDashboard } from './runtime.ts';

/** Every provisioned dashboard by file name under infra/grafana/dashboards. */
export const DASHBOARDS: Record<string, Dashboard> = {
  'shipshape-overview.json': overviewDashboard,
  'shipshape-resilience.json': resilienceDashboard,
  'shipshape-queue.json': queueDashboard,
  'shipshape-runtime.json': runtimeDashboard,
};
