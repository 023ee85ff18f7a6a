import { describe, expect, it } from 'vitest';
import { formatVerdict, type Verdict } from './verdict.ts';

const verdict: Verdict = {
  scenario: 'payment-outage',
  title: 'payment down',
  mode: { short: true, fault: true },
  environment: 'local',
  seed: 7,
  startedAt: '2026-11-28T16:00:00.000Z',
  durationMs: 27_000,
  passed: false,
  hypotheses: [
    {
      id: 'breaker-opens',
      statement: 'the breaker opens',
      pass: true,
      observed: '1.7 s',
      expected: '≤ 5.0 s',
    },
    {
      id: 'zero-lost',
      statement: 'nothing lost',
      pass: false,
      observed: '2 unsettled',
      expected: '0 unsettled',
    },
  ],
  timeline: [
    {
      name: 'SIGKILL payment-0',
      kind: 'fault',
      plannedAtMs: 5_000,
      startedMs: 5_004,
      endedMs: 5_210,
      skipped: false,
    },
    {
      name: 'start payment-0',
      kind: 'fault',
      plannedAtMs: 15_000,
      startedMs: 15_000,
      endedMs: 15_000,
      skipped: true,
    },
  ],
  load: {
    sent: 480,
    dropped: 0,
    targetRate: 20,
    achievedRate: 20,
    statuses: { '202': 170, '200': 310 },
    errors: {},
    p50Ms: 6,
    p99Ms: 230,
  },
  observations: {},
};

describe('formatVerdict', () => {
  it('prints the timeline, the load, one PASS/FAIL line per hypothesis and the verdict', () => {
    const lines = formatVerdict(verdict).split('\n');
    expect(lines[0]).toBe('scenario payment-outage (short): payment down');
    expect(lines[1]).toBe('     5.0s  SIGKILL payment-0 — done in 0.2s');
    expect(lines[2]).toBe('    15.0s  start payment-0 — skipped (--no-fault)');
    expect(lines[3]).toContain('load: sent 480');
    expect(lines[3]).toContain('200:310 202:170');
    expect(lines[4]).toBe('PASS  breaker-opens  the breaker opens: 1.7 s (expected ≤ 5.0 s)');
    expect(lines[5]).toBe('FAIL  zero-lost      nothing lost: 2 unsettled (expected 0 unsettled)');
    expect(lines[6]).toBe('verdict: FAIL — 1/2 hypotheses held in 27.0s');
  });

  it('names a control run with the fault switched off', () => {
    expect(formatVerdict({ ...verdict, mode: { short: false, fault: false } }).split('\n')[0]).toBe(
      'scenario payment-outage (full, fault switched off): payment down',
    );
  });
});
