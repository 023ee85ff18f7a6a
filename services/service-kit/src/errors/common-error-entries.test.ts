import { describe, expect, it } from 'vitest';
import { everyRequestCodes, withBodyCodes } from '../openapi/problem-responses.ts';
import { securityErrorEntries } from '../security/security-problems.ts';
import { commonErrorEntries } from './common-error-entries.ts';
import { defineErrorCatalogue } from './error-catalogue.ts';

describe('commonErrorEntries', () => {
  it('holds every code the OpenAPI helpers document on every request or every body, and the security codes', () => {
    const codes = Object.keys(commonErrorEntries);
    expect(codes).toEqual(expect.arrayContaining([...everyRequestCodes, ...withBodyCodes]));
    expect(codes).toEqual(expect.arrayContaining(Object.keys(securityErrorEntries)));
  });

  it('is a valid catalogue on its own (every status an HTTP error status)', () => {
    expect(defineErrorCatalogue(commonErrorEntries).codes).toHaveLength(12);
  });
});
