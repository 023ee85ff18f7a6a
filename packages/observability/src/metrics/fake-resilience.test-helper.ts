// Fake resilience policies implementing the seam shapes, for the bridge tests.
import { FakeEmitter } from './fake-emitter.test-helper.ts';
import type { BreakerStateName, ServiceClientAttempt } from './resilience-shapes.ts';

export class FakeBreaker {
  readonly name: string;
  state: BreakerStateName = 'closed';
  readonly stateChange = new FakeEmitter<{ name: string; from: BreakerStateName; to: BreakerStateName }>();
  readonly success = new FakeEmitter<{ name: string; durationMs: number; slow: boolean }>();
  readonly failure = new FakeEmitter<{ name: string; durationMs: number; slow: boolean }>();
  readonly reject = new FakeEmitter<{ name: string; state: BreakerStateName }>();
  readonly onStateChange = this.stateChange.subscribe;
  readonly onSuccess = this.success.subscribe;
  readonly onFailure = this.failure.subscribe;
  readonly onReject = this.reject.subscribe;
  constructor(name: string) {
    this.name = name;
  }
  snapshot() {
    return { state: this.state, failures: 0 };
  }
  moveTo(to: BreakerStateName) {
    const from = this.state;
    this.state = to;
    this.stateChange.emit({ name: this.name, from, to });
  }
}

export class FakeRetry {
  readonly name = 'retry-user';
  readonly retry = new FakeEmitter<{ name: string; attempt: number; delayMs: number; reason: string }>();
  readonly giveUp = new FakeEmitter<{ name: string; attempts: number; reason: string }>();
  readonly budget = new FakeEmitter<{ name: string }>();
  readonly onRetry = this.retry.subscribe;
  readonly onGiveUp = this.giveUp.subscribe;
  readonly onBudgetExhausted = this.budget.subscribe;
}

export class FakeTimeout {
  readonly name = 'timeout-user';
  readonly timeout = new FakeEmitter<{ name: string; timeoutMs: number }>();
  readonly onTimeout = this.timeout.subscribe;
}

export class FakeBulkhead {
  readonly name = 'bulkhead-user';
  inFlight = 0;
  queued = 0;
  readonly reject = new FakeEmitter<{ name: string }>();
  readonly onReject = this.reject.subscribe;
  snapshot() {
    return { inFlight: this.inFlight, queued: this.queued, maxConcurrent: 10, maxQueued: 5 };
  }
}

export class FakeLimiter {
  readonly name = 'inbound';
  degraded = false;
  readonly decision = new FakeEmitter<{ name: string; allowed: boolean }>();
  readonly onDecision = this.decision.subscribe;
}

/** A breaker typed as narrowly as the service client's `EndpointBreaker`: state events only. */
export class NarrowBreaker {
  readonly name: string;
  state = 'closed';
  readonly stateChange = new FakeEmitter<{ name: string; from: string; to: string }>();
  readonly onStateChange = this.stateChange.subscribe;
  constructor(name: string) {
    this.name = name;
  }
  snapshot() {
    return { state: this.state };
  }
}

export class FakeClient {
  readonly service = 'user';
  readonly attempt = new FakeEmitter<ServiceClientAttempt>();
  readonly onAttempt = this.attempt.subscribe;
  readonly endpointChange = new FakeEmitter<{ service: string; endpoint: string; change: string }>();
  readonly onEndpointChange = this.endpointChange.subscribe;
  breakers = [new FakeBreaker('user-10.0.0.1'), new FakeBreaker('user-10.0.0.2')];
  readonly retryPolicy = new FakeRetry();
  readonly bulkheadPolicy = new FakeBulkhead();
  policies() {
    return { breakers: this.breakers, retry: this.retryPolicy, bulkhead: this.bulkheadPolicy };
  }
}
