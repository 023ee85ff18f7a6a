import type { ScenarioDefinition } from '../framework/scenario.ts';
import { paymentLatency } from './payment-latency.ts';
import { paymentOutage } from './payment-outage.ts';
import { poisonOrder } from './poison-order.ts';
import { overload } from './overload.ts';
import { redisBlip } from './redis-blip.ts';
import { redisFailover } from './redis-failover.ts';
import { rollingRestart } from './rolling-restart.ts';
import { slowReplica } from './slow-replica.ts';
import { soak } from './soak.ts';
import { trafficBurst } from './traffic-burst.ts';

export {
  overload,
  paymentLatency,
  paymentOutage,
  poisonOrder,
  redisBlip,
  redisFailover,
  rollingRestart,
  slowReplica,
  soak,
  trafficBurst,
};

/** Every scenario by CLI name, in the order the README lists them. */
export const scenarios: Readonly<Record<string, ScenarioDefinition<unknown>>> = {
  'payment-outage': paymentOutage,
  'payment-latency': paymentLatency,
  'traffic-burst': trafficBurst,
  'redis-blip': redisBlip,
  'redis-failover': redisFailover,
  'rolling-restart': rollingRestart,
  'poison-order': poisonOrder,
  'slow-replica': slowReplica,
  overload,
  soak,
};
