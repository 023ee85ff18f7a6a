// The acceptance runs: every scenario in its short form against real processes (a private
// redis-server, the three services through @shipshape/stack) must pass every hypothesis, and
// control runs with the fault switched off must fail the hypotheses about the fault. One file,
// run sequentially (vitest.config.ts: no file parallelism), so the runs never share the CPU.
import { describe, expect, it } from 'vitest';
import { startLocalEnvironment } from '../src/environment/local-environment.ts';
import { targetEnvironment } from '../src/environment/target-environment.ts';
import { runScenario } from '../src/framework/run-scenario.ts';
import { formatVerdict, type Verdict } from '../src/framework/verdict.ts';
import { scenarios } from '../src/scenarios/index.ts';

const timeoutMs = 150_000;

function failed(verdict: Verdict): string[] {
  return verdict.hypotheses.filter((h) => !h.pass).map((h) => h.id);
}

describe('every scenario passes in its short form', () => {
  for (const [name, definition] of Object.entries(scenarios)) {
    it(
      `${name} --short`,
      async () => {
        const verdict = await runScenario(definition, { mode: { short: true, fault: true } });
        // The whole report in the failure message: which hypothesis, what was observed.
        expect(failed(verdict), formatVerdict(verdict)).toEqual([]);
        expect(verdict.passed).toBe(true);
        expect(verdict.durationMs).toBeGreaterThan(0);
      },
      timeoutMs,
    );
  }
});

describe('with the fault switched off the fault hypotheses fail', () => {
  it(
    'traffic-burst --no-fault: no 429s, the admitted rate is the offered one',
    async () => {
      const verdict = await runScenario(scenarios['traffic-burst']!, { mode: { short: true, fault: false } });
      expect(verdict.passed, formatVerdict(verdict)).toBe(false);
      expect(failed(verdict)).toEqual([
        'global-limit-held',
        'rejections-carry-retry-after',
        'every-replica-limits',
      ]);
    },
    timeoutMs,
  );

  it(
    'poison-order --no-fault: no dead letters, nothing to replay',
    async () => {
      const verdict = await runScenario(scenarios['poison-order']!, { mode: { short: true, fault: false } });
      expect(verdict.passed, formatVerdict(verdict)).toBe(false);
      expect(failed(verdict)).toEqual([
        'dead-letter-after-n-attempts',
        'parked-orders-failed-uncharged',
        'replay-empties-dlq',
      ]);
    },
    timeoutMs,
  );
});

describe('with the defence switched off the defence hypotheses fail', () => {
  it(
    'slow-replica --no-defence: without hedging the p99 follows the slow replica',
    async () => {
      const verdict = await runScenario(scenarios['slow-replica']!, {
        mode: { short: true, fault: true, defence: false },
      });
      expect(verdict.passed, formatVerdict(verdict)).toBe(false);
      expect(failed(verdict)).toEqual(['p99-bounded', 'hedges-win']);
    },
    timeoutMs,
  );

  it(
    'overload --no-defence: with a fixed bulkhead only, admitted calls wait in line at payment',
    async () => {
      const verdict = await runScenario(scenarios['overload']!, {
        mode: { short: true, fault: true, defence: false },
      });
      expect(verdict.passed, formatVerdict(verdict)).toBe(false);
      expect(failed(verdict)).toEqual(['admitted-p99-bounded']);
    },
    timeoutMs,
  );
});

describe('against a running system (--target)', () => {
  it(
    'traffic-burst --short passes against a target and leaves its settings as they were',
    async () => {
      const adminToken = 'scenario-target-test-token';
      const system = await startLocalEnvironment({ setup: { replicas: { order: 3 } }, adminToken });
      const target = targetEnvironment({
        urls: {
          user: [...system.urls('user')],
          order: [...system.urls('order')],
          payment: [...system.urls('payment')],
        },
        redisUrl: system.redisUrl!,
        adminToken,
      });
      try {
        const verdict = await runScenario(scenarios['traffic-burst']!, {
          mode: { short: true, fault: true },
          target,
        });
        expect(failed(verdict), formatVerdict(verdict)).toEqual([]);
        expect(verdict.environment).toBe('target');
        // The scenario set rateLimit.* as Redis overrides for the run and removed them afterwards.
        for (let replica = 0; replica < 3; replica++) {
          const config = await system.readConfig('order', replica);
          expect(config['rateLimit.limit']?.source).toBe('env:RATE_LIMIT__LIMIT');
        }
      } finally {
        await target.close();
        await system.close();
      }
    },
    timeoutMs,
  );
});
