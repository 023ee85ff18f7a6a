// The acceptance runs: every scenario in its short form against real processes (a private
// redis-server, the three services through @shipshape/stack) must pass every hypothesis, and
// control runs with the fault switched off must fail the hypotheses about the fault. One file,
// run sequentially (vitest.config.ts: no file parallelism), so the runs never share the CPU.
import { describe, expect, it } from 'vitest';
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
