import { describe, expect, it } from 'vitest';
import { brandError, errorBrand, hasBrand } from './brand.ts';

describe('error brands', () => {
  it('recognises an error carrying the brand', () => {
    const error = new Error('x');
    brandError(error, '@shipshape/test/XError');
    expect(hasBrand(error, '@shipshape/test/XError')).toBe(true);
  });

  it('rejects another brand, an unbranded error and non-objects', () => {
    const error = new Error('x');
    brandError(error, '@shipshape/test/XError');
    expect(hasBrand(error, '@shipshape/other/XError')).toBe(false);
    expect(hasBrand(new Error('y'), '@shipshape/test/XError')).toBe(false);
    expect(hasBrand(null, '@shipshape/test/XError')).toBe(false);
    expect(hasBrand('@shipshape/test/XError', '@shipshape/test/XError')).toBe(false);
  });

  it('recognises a plain object branded by another copy of the module (registered symbol)', () => {
    const foreign = { [Symbol.for('@shipshape/service-kit/error-brand')]: '@shipshape/test/XError' };
    expect(hasBrand(foreign, '@shipshape/test/XError')).toBe(true);
  });

  it('keeps the brand out of enumeration and JSON', () => {
    const error = new Error('x');
    brandError(error, '@shipshape/test/XError');
    expect(Object.getOwnPropertySymbols(error)).toContain(errorBrand);
    expect(Object.keys(error)).toEqual([]);
    expect(JSON.stringify({ ...error })).toBe('{}');
  });
});
