import { describe, expect, it } from 'vitest';
import { brandError } from './brand.ts';
import { causedByInjectedFault, InjectedFaultError, isInjectedFaultError } from './injected-fault-error.ts';

describe('InjectedFaultError', () => {
  it('names the setting that injected it and has a stable code', () => {
    const error = new InjectedFaultError('chaos.errorRate');
    expect(error).toMatchObject({
      name: 'InjectedFaultError',
      code: 'injected_fault',
      setting: 'chaos.errorRate',
      message: 'fault injected by chaos.errorRate',
    });
  });

  it('is recognised by its brand, also from another copy of the class, and nothing else is', () => {
    const copy = new Error('fault injected by chaos.errorRate');
    brandError(copy, '@shipshape/service-kit/InjectedFaultError');
    expect(isInjectedFaultError(copy)).toBe(true);
    expect(isInjectedFaultError(new Error('fault injected by chaos.errorRate'))).toBe(false);
  });
});

describe('causedByInjectedFault', () => {
  it('finds an injected fault anywhere along the cause chain', () => {
    const fault = new InjectedFaultError('chaos.errorRate');
    expect(causedByInjectedFault(fault)).toBe(true);
    expect(causedByInjectedFault(new Error('503', { cause: new Error('processor', { cause: fault }) }))).toBe(
      true,
    );
  });

  it('is false for other errors, values and cause cycles', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(causedByInjectedFault(b)).toBe(false);
    expect(causedByInjectedFault(new Error('redis is gone'))).toBe(false);
    expect(causedByInjectedFault(undefined)).toBe(false);
    expect(causedByInjectedFault('chaos')).toBe(false);
  });
});
