import type { ServiceName } from '@shipshape/stack';
import { atMost, seconds } from '../framework/hypothesis.ts';
import { pick, type RunMode } from '../framework/run-mode.ts';
import type { ScenarioContext } from '../framework/scenario.ts';
import { defineScenario } from '../framework/scenario.ts';
import type { TimelineStep } from '../framework/timeline.ts';
import type { OrderAudit } from '../observe/order-audit.ts';
import { countFailuresByCode, isFailure } from '../observe/request-log.ts';
import { paidExactlyOnce, zeroLost } from './order-hypotheses.ts';
import { auditCreatedOrders } from './order-signals.ts';

/** One SIGTERM-and-start of a replica. */
export interface RestartRecord {
  readonly name: string;
  /** Exit code after SIGTERM (0: graceful), null when a signal ended it (SIGKILL after the grace). */
  readonly code: number | null;
  readonly signal: string | null;
  /** From SIGTERM to exit, ms. */
  readonly stopMs: number;
}

/** What rolling-restart observes. */
export interface RollingRestartObservations {
  /** Restarts the timeline planned (0 with the fault switched off). */
  readonly planned: number;
  readonly restarts: readonly RestartRecord[];
  /** Load requests sent, and the failed ones (5xx, transport errors, front-door 502/503) by code. */
  readonly requests: {
    readonly sent: number;
    readonly failed: number;
    readonly failuresByCode: Readonly<Record<string, number>>;
  };
  readonly audit: OrderAudit;
}

/** The order the services are restarted in: upstreams first, then their caller. */
const restartOrder: readonly ServiceName[] = ['payment', 'user', 'order'];
const replicas = 2;
/** Time between taking a replica out of the front door and SIGTERM (Kubernetes' preStop). */
const preStopMs = 1_000;
/** Pause after a replica is back before the next one goes. */
const settleMs = 1_000;

function restarts(mode: RunMode): { service: ServiceName; replica: number }[] {
  const perService = pick(mode, { short: 1, full: replicas });
  return restartOrder.flatMap((service) =>
    Array.from({ length: perService }, (_, replica) => ({ service, replica })),
  );
}

function restartStep(service: ServiceName, replica: number, atMs: number): TimelineStep<ScenarioContext> {
  return {
    atMs,
    name: `SIGTERM ${service}-${replica}, start it again`,
    run: async ({ environment, notes }) => {
      const { stack, frontDoors } = environment.local!;
      const process = stack.process(service, replica);
      const door = frontDoors[service];
      door?.drain(process.url);
      await sleep(door ? preStopMs : 0);
      const sent = performance.now();
      const exit = await process.stop();
      const record: RestartRecord = {
        name: process.name,
        code: exit?.code ?? null,
        signal: exit?.signal ?? null,
        stopMs: Math.round(performance.now() - sent),
      };
      (notes.get('restarts') as RestartRecord[]).push(record);
      await process.start();
      door?.undrain(process.url);
      await sleep(settleMs);
    },
  };
}

/**
 * Every service is restarted in turn (SIGTERM, then a new process on the same port) under load,
 * two replicas each, the load reaching user and order through readiness-following front doors as
 * it would through Kubernetes Services. Graceful shutdown must drain in-flight requests and the
 * payment worker, so that no client request fails, every process exits 0, and no job is lost.
 */
export const rollingRestart = defineScenario<RollingRestartObservations>({
  name: 'rolling-restart',
  title: 'SIGTERM each service in turn under load → no failed request, graceful exits, no job lost',
  requiresLocal: true,
  setup: () => ({
    replicas: { user: replicas, order: replicas, payment: replicas },
    frontDoors: ['user', 'order'],
  }),
  prepare(context) {
    context.notes.set('restarts', []);
    return Promise.resolve();
  },
  load: (mode) => ({
    // Upper bound: the load stops a few seconds after the last replica is back.
    profile: { profile: 'steady', rate: pick(mode, { short: 15, full: 25 }), durationMs: 240_000 },
    mix: { 'create-user': 1, 'create-order': 4, 'read-order': 5 },
    stopAfterTimelineMs: pick(mode, { short: 3_000, full: 10_000 }),
  }),
  timeline: (mode) =>
    restarts(mode).map(({ service, replica }, i) =>
      restartStep(service, replica, i === 0 ? pick(mode, { short: 3_000, full: 10_000 }) : 0),
    ),
  async observe(context) {
    const failed = context.requests.requests.filter(isFailure);
    const audit = await auditCreatedOrders(context, pick(context.mode, { short: 30_000, full: 60_000 }));
    return {
      planned: context.mode.fault ? restarts(context.mode).length : 0,
      restarts: context.notes.get('restarts') as RestartRecord[],
      requests: {
        sent: context.requests.requests.length,
        failed: failed.length,
        failuresByCode: countFailuresByCode(failed),
      },
      audit,
    };
  },
  hypotheses: [
    {
      id: 'no-failed-request',
      statement: 'no client request fails while replicas restart (graceful drain)',
      check: (o) => ({
        ...atMost(o.requests.failed, 0),
        observed: `${o.requests.failed} of ${o.requests.sent} failed ${JSON.stringify(o.requests.failuresByCode)}`,
      }),
    },
    {
      id: 'graceful-exits',
      statement: 'every replica exits 0 on SIGTERM (drained within the grace period)',
      check: (o) => {
        const graceful = o.restarts.filter((r) => r.code === 0 && r.signal === null);
        const slowest = Math.max(0, ...o.restarts.map((r) => r.stopMs));
        return {
          pass:
            o.restarts.length > 0 && o.restarts.length === o.planned && graceful.length === o.restarts.length,
          observed: `${graceful.length}/${o.restarts.length} exited 0 (slowest stop ${seconds(slowest)})${
            graceful.length < o.restarts.length
              ? `; ${o.restarts
                  .filter((r) => !graceful.includes(r))
                  .map((r) => `${r.name} ${r.code ?? r.signal}`)
                  .join(', ')}`
              : ''
          }`,
          expected: `${o.planned || 'every'} restarts, all exit 0`,
        };
      },
    },
    paidExactlyOnce('every accepted order is paid once, through the restarts of its worker'),
    zeroLost('no payment job is lost'),
  ],
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
