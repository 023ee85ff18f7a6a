import { useRedisServer } from '@shipshape/test-harness/vitest';
import { afterAll, beforeAll } from 'vitest';
import { startStack, type Stack } from '../../src/index.ts';
import { fastFlowEnv, fastOrderEnv } from './flow-env.ts';

/** Options of {@link useFlowStack}: settings per service on top of the fast flow. */
export interface FlowStackOptions {
  /**
   * Order-service settings, applied after {@link fastOrderEnv} (`WORKER__ATTEMPTS`, …).
   * @default {}
   */
  order?: Readonly<Record<string, string>>;
  /**
   * Payment-service settings (`fastPaymentEnv`, …).
   * @default none
   */
  payment?: Readonly<Record<string, string>>;
}

/** The stack of the calling test file; see {@link useFlowStack}. */
export interface FlowStack {
  /** The running stack. Read it inside tests or hooks, not at import time. */
  readonly stack: Stack;
}

/**
 * Registers `beforeAll`/`afterAll` hooks that start the three real services on a private harness
 * Redis with the fast-flow settings ({@link fastFlowEnv}, {@link fastOrderEnv}) and always stop
 * them, also when tests fail or time out. Start up to 90 s, stop up to 60 s.
 */
export function useFlowStack(options: FlowStackOptions = {}): FlowStack {
  const redis = useRedisServer();
  let stack: Stack | undefined;

  beforeAll(async () => {
    stack = await startStack({
      redisUrl: redis.url,
      env: fastFlowEnv,
      serviceEnv: {
        order: { ...fastOrderEnv, ...options.order },
        ...(options.payment && { payment: options.payment }),
      },
    });
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  return {
    get stack() {
      if (!stack) throw new Error('the stack is not started yet: use it inside a test or hook');
      return stack;
    },
  };
}
