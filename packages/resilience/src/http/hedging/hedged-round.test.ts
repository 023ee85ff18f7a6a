import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deferred } from '../../policies/common/clock.test-helper.ts';
import type { AttemptCancel } from '../abort-scope.ts';
import type { Endpoint } from '../endpoints/endpoint.ts';
import type { AttemptOutcome } from '../retry-decision.ts';
import type { HedgeTag } from './hedge-tag.ts';
import { HedgedRound, type RoundAttempt } from './hedged-round.ts';
import { ClientHedgingEvents } from './hedging-events.ts';

const endpoints = ['a', 'b', 'c'].map((key) => ({ key }) as unknown as Endpoint);
const [a, b, c] = endpoints as [Endpoint, Endpoint, Endpoint];

const ok = (endpoint: Endpoint, status = 200): AttemptOutcome => ({
  kind: 'response',
  endpoint,
  result: { status, headers: {}, body: undefined },
});

/** A round whose attempts finish when the test says so; records what happened. */
function harness(options: { maxHedges?: number; budget?: boolean[]; delayMs?: number } = {}) {
  const events = new ClientHedgingEvents('svc');
  const seen: string[] = [];
  events.onHedge((e) => seen.push(`hedge ${e.hedge} after ${e.delayMs}`));
  events.onHedgeWon((e) => seen.push(`won ${e.hedge}`));
  events.onHedgeSkipped((e) => seen.push(`skipped ${e.reason}`));
  const budget = [...(options.budget ?? [true, true, true])];
  const sent: {
    endpoint: Endpoint;
    tag: HedgeTag;
    done: ReturnType<typeof deferred<RoundAttempt>>;
    superseded: boolean;
  }[] = [];
  const round = new HedgedRound({
    events,
    delayMs: options.delayMs ?? 50,
    maxHedges: options.maxHedges ?? 1,
    budget: { tryWithdraw: () => budget.shift() ?? false, deposit: () => undefined },
    tried: undefined,
    now: () => performance.now(),
    pick: (exclude) => endpoints.find((e) => !exclude.has(e)) ?? a,
    send: (endpoint, tag) => {
      const done = deferred<RoundAttempt>();
      const entry = { endpoint, tag, done, superseded: false };
      tag.track({
        supersede: () => {
          entry.superseded = true;
          done.resolve('superseded');
        },
      } as unknown as AttemptCancel);
      sent.push(entry);
      return done.promise;
    },
  });
  return { round, sent, seen };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('HedgedRound', () => {
  it('sends a hedge to another endpoint after the delay; the first answer wins, the other is cancelled', async () => {
    const { round, sent, seen } = harness();
    const result = round.run(a);
    await vi.advanceTimersByTimeAsync(49);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent.map((s) => s.endpoint)).toEqual([a, b]);
    expect(sent[1]!.tag.spanOutcome(200)).toBe('won');
    sent[1]!.done.resolve(ok(b));
    const { outcome, winner, used } = await result;
    expect(outcome).toEqual(ok(b));
    expect([winner, used]).toEqual([1, [a, b]]);
    expect(sent[0]!.superseded).toBe(true);
    expect(sent[0]!.tag.spanOutcome(undefined)).toBe('lost');
    expect(seen).toEqual(['hedge 1 after 50', 'won 1']);
  });

  it('sends no hedge when the first attempt answers within the delay', async () => {
    const { round, sent, seen } = harness();
    const result = round.run(a);
    sent[0]!.done.resolve(ok(a, 404));
    expect((await result).winner).toBe(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toHaveLength(1);
    expect(seen).toEqual([]);
  });

  it('sends the next hedge at once when an attempt fails, and ends with the last failure when all do', async () => {
    const { round, sent, seen } = harness({ maxHedges: 2 });
    const result = round.run(a);
    sent[0]!.done.resolve(ok(a, 503));
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => s.endpoint)).toEqual([a, b]);
    sent[1]!.done.resolve(ok(b, 502));
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => s.endpoint)).toEqual([a, b, c]);
    sent[2]!.done.resolve(ok(c, 503));
    expect((await result).outcome).toEqual(ok(c, 503));
    expect(seen).toEqual(['hedge 1 after 0', 'hedge 2 after 0']);
  });

  it('a 429 or 5xx never wins while another attempt is in flight', async () => {
    const { round, sent } = harness();
    const result = round.run(a);
    await vi.advanceTimersByTimeAsync(50);
    sent[1]!.done.resolve(ok(b, 429));
    await vi.advanceTimersByTimeAsync(0);
    sent[0]!.done.resolve(ok(a, 201));
    expect(await result).toMatchObject({ outcome: ok(a, 201), winner: 0 });
  });

  it('skips the hedge when the budget is spent, and sends no later one', async () => {
    const { round, sent, seen } = harness({ maxHedges: 2, budget: [false] });
    const result = round.run(a);
    await vi.advanceTimersByTimeAsync(200);
    expect(sent).toHaveLength(1);
    sent[0]!.done.resolve(ok(a));
    await result;
    expect(seen).toEqual(['skipped budget']);
  });

  it('skips the hedge when no other endpoint is left', async () => {
    const { round, sent, seen } = harness({ maxHedges: 3 });
    const result = round.run(a);
    await vi.advanceTimersByTimeAsync(200);
    expect(sent.map((s) => s.endpoint)).toEqual([a, b, c]);
    sent[2]!.done.resolve(ok(c));
    await result;
    expect(seen).toEqual(['hedge 1 after 50', 'hedge 2 after 100', 'skipped no_endpoint', 'won 2']);
  });

  it('a hedge refused by the concurrency limit is a skip; the first attempt refused ends the round as limited', async () => {
    const { round, sent, seen } = harness();
    const result = round.run(a);
    await vi.advanceTimersByTimeAsync(50);
    sent[1]!.done.resolve('limited');
    await vi.advanceTimersByTimeAsync(0);
    sent[0]!.done.resolve(ok(a));
    expect((await result).winner).toBe(0);
    expect(seen).toEqual(['hedge 1 after 50', 'skipped concurrency_limit']);
    const refused = harness();
    const limited = refused.round.run(a);
    refused.sent[0]!.done.resolve('limited');
    expect((await limited).outcome).toBe('limited');
  });

  it('rejects with the error of an attempt that threw (the caller cancelled) and cancels the others', async () => {
    const { round, sent } = harness();
    const result = round.run(a);
    await vi.advanceTimersByTimeAsync(50);
    sent[0]!.done.reject(new Error('caller gave up'));
    await expect(result).rejects.toThrow('caller gave up');
    expect(sent[1]!.superseded).toBe(true);
  });
});
