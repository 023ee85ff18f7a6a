import { describe, expect, it } from 'vitest';
import { coerce } from './coerce.ts';

/** `expect.stringMatching`, typed so that it can sit inside an object literal. */
const matching = (pattern: RegExp): unknown => expect.stringMatching(pattern);

const ok = (value: unknown) => ({ ok: true, value });

describe('coerce', () => {
  it.each([
    ['8080', 8080],
    ['-3', -3],
    [' 42 ', 42],
  ])('reads the integer %j as %j', (text, value) => {
    expect(coerce(text, 'integer', 'other')).toEqual(ok(value));
  });

  it.each(['3.5', 'abc', '0x10', '1e3', '9007199254740993'])('rejects %j as an integer', (text) => {
    expect(coerce(text, 'integer', 'other')).toMatchObject({ ok: false, reason: matching(/integer/) });
  });

  it.each([
    ['0.5', 0.5],
    ['-2', -2],
    ['1e3', 1000],
    ['.25', 0.25],
  ])('reads the float %j as %j', (text, value) => {
    expect(coerce(text, 'number', 'other')).toEqual(ok(value));
  });

  it.each(['abc', 'Infinity', 'NaN', '1,5', '0x1f'])('rejects %j as a number', (text) => {
    expect(coerce(text, 'number', 'other')).toEqual({ ok: false, reason: 'expected a number' });
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['On', true],
    ['false', false],
    ['0', false],
    ['no', false],
    ['off', false],
  ])('reads the boolean %j as %j', (text, value) => {
    expect(coerce(text, 'boolean', 'other')).toEqual(ok(value));
  });

  it('rejects a word that is not a boolean', () => {
    expect(coerce('maybe', 'boolean', 'other')).toMatchObject({ ok: false, reason: matching(/boolean/) });
  });

  it.each([
    ['250ms', 250],
    ['2s', 2000],
    ['1m', 60_000],
    ['1.5s', 1500],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['1m30s', 90_000],
    ['750', 750],
    [' 2S ', 2000],
  ])('reads the duration %j as %j ms', (text, value) => {
    expect(coerce(text, 'duration', 'other')).toEqual(ok(value));
  });

  it.each(['soon', '2 seconds', '-1s', 's', '1w'])('rejects %j as a duration', (text) => {
    expect(coerce(text, 'duration', 'other')).toMatchObject({ ok: false, reason: matching(/duration/) });
  });

  it('reads a comma-separated list, trimming items and dropping empty ones', () => {
    expect(coerce(' a, b ,,c ', 'list', 'string')).toEqual(ok(['a', 'b', 'c']));
  });

  it('coerces each comma-separated item by the element type', () => {
    expect(coerce('1, 2,3', 'list', 'integer')).toEqual(ok([1, 2, 3]));
  });

  it('names the item that failed in a comma-separated list', () => {
    expect(coerce('1,x', 'list', 'integer')).toEqual({ ok: false, reason: 'item 2: expected an integer' });
  });

  it('reads a JSON array as a list', () => {
    expect(coerce('["a,b", "c"]', 'list', 'string')).toEqual(ok(['a,b', 'c']));
  });

  it('rejects a broken JSON list without quoting it', () => {
    const result = coerce('["secret-ish', 'list', 'string');
    expect(result).toMatchObject({ ok: false, reason: matching(/not valid JSON/) });
    expect(JSON.stringify(result)).not.toContain('secret-ish');
  });

  it('reads a JSON object', () => {
    expect(coerce('{"eu":2}', 'object', 'other')).toEqual(ok({ eu: 2 }));
  });

  it.each(['[1]', '3', 'nope'])('rejects %j as an object', (text) => {
    expect(coerce(text, 'object', 'other')).toMatchObject({ ok: false, reason: matching(/JSON object/) });
  });

  it('passes values that are not strings through untouched', () => {
    expect(coerce(12, 'duration', 'other')).toEqual(ok(12));
    expect(coerce([1], 'list', 'integer')).toEqual(ok([1]));
  });

  it('leaves strings for string keys as they are', () => {
    expect(coerce(' spaced ', 'string', 'other')).toEqual(ok(' spaced '));
  });
});
