import { expect, it } from 'vitest';
import { sendJson, type SendJsonInit } from './service-app.ts';

/** One malformed request of a service's bad-input table and the problem it must be answered. */
export interface BadInput extends SendJsonInit {
  /** The row's name in the test title. */
  name: string;
  /** Path and query, appended to the app's URL. */
  path: string;
  /** The expected status (a 4xx). */
  status: number;
  /** The expected catalogue code. */
  code: string;
}

/**
 * Registers one test per row, in the calling test file: the request (`sendJson`: POST with a
 * body, else GET) is answered `status` with problem+json of `code` — the catalogue's type URL, a
 * title, the status — and no stack frame, module path or address in it.
 * @param startUrl starts an app and returns its base URL (`(await startApp()).url`)
 */
export function describeBadInputCases(table: readonly BadInput[], startUrl: () => Promise<string>): void {
  it.each(table)('answers $name with $status $code as problem+json', async (input) => {
    const { name: _name, path, status: _status, code: _code, ...init } = input;
    const { status, body, headers } = await sendJson(`${await startUrl()}${path}`, init);
    expect({ status, code: body.code }).toEqual({ status: input.status, code: input.code });
    expect(headers.get('content-type')).toContain('application/problem+json');
    expect(body.type).toBe(`https://shipshape.dev/problems/${input.code}`);
    expect(typeof body.title).toBe('string');
    expect(body.status).toBe(input.status);
    expect(JSON.stringify(body)).not.toMatch(/at .+\.ts:\d+|node_modules|127\.0\.0\.1/);
  });
}

/**
 * The rows every JSON endpoint shares for "text is text", built around a valid `body`: bytes
 * that are not UTF-8, a byte order mark and a UTF-16 body (400 `malformed_json`, 415
 * `unsupported_media_type`), before any field is looked at.
 */
export function utf8BadInputs(path: string, body: object): BadInput[] {
  const json = JSON.stringify(body);
  const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
  return [
    {
      name: 'a body that is not valid UTF-8',
      path,
      raw: Buffer.concat([utf8(json.slice(0, -1)), utf8(',"x":"a'), Buffer.from([0xff, 0xfe]), utf8('"}')]),
      status: 400,
      code: 'malformed_json',
    },
    {
      name: 'a body starting with a byte order mark',
      path,
      raw: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(json)]),
      status: 400,
      code: 'malformed_json',
    },
    {
      name: 'a body declared charset=utf-16',
      path,
      raw: Buffer.from(json, 'utf16le'),
      headers: { 'content-type': 'application/json; charset=utf-16' },
      status: 415,
      code: 'unsupported_media_type',
    },
  ];
}
