import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { problemErrorHandler } from '@shipshape/observability/http';
import { createLogger } from '@shipshape/observability/logging';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { sendJson } from '../testing/service-app.ts';
import { jsonBody } from './json-body.ts';

let server: Server | undefined;
afterEach(async () => {
  server?.close();
  if (server) await once(server, 'close');
  server = undefined;
});

/** An app that echoes the parsed body, behind `jsonBody` and the problem+json handler. */
async function echo(): Promise<string> {
  const app = express();
  app.use(jsonBody({ limitBytes: 1_024 }));
  app.post('/echo', (req, res) => void res.json(req.body));
  app.use(problemErrorHandler({ logger: createLogger({ service: 'test', level: 'silent' }) }));
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/echo`;
}

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('jsonBody', () => {
  it('keeps UTF-8 text byte for byte: accents, CJK, right-to-left with its marks, emoji', async () => {
    const name = 'Zoë 李 \u200fעברית\u200f 🚀';
    const { status, text } = await sendJson(await echo(), { raw: utf8(JSON.stringify({ name })) });
    expect(status).toBe(200);
    expect(utf8(text).equals(utf8(JSON.stringify({ name })))).toBe(true);
  });

  it.each([
    ['a lone continuation byte', [0x80]],
    ['an overlong encoding of "/"', [0xc0, 0xaf]],
    ['a byte that never occurs in UTF-8', [0xff]],
    ['an encoded UTF-16 surrogate (CESU-8)', [0xed, 0xa0, 0x80]],
    ['a truncated 3-byte sequence', [0xe2, 0x82]],
  ])('answers 400 malformed_json to a body with %s instead of storing U+FFFD', async (_name, bytes) => {
    const raw = Buffer.concat([utf8('{"name":"a'), Buffer.from(bytes), utf8('b"}')]);
    const { status, body } = await sendJson(await echo(), { raw });
    expect({ status, code: body.code, detail: body.detail }).toEqual({
      status: 400,
      code: 'malformed_json',
      detail: 'The request body is not valid UTF-8.',
    });
  });

  it('answers 400 malformed_json to a body that starts with a byte order mark', async () => {
    const raw = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('{"name":"a"}')]);
    const { status, body } = await sendJson(await echo(), { raw });
    expect({ status, code: body.code }).toEqual({ status: 400, code: 'malformed_json' });
  });

  it.each([
    ['utf-16', Buffer.from('{"name":"a"}', 'utf16le')],
    ['UTF-16LE', Buffer.from('{"name":"a"}', 'utf16le')],
    ['iso-8859-1', Buffer.from('{"name":"\u00e9"}', 'latin1')],
    ['utf-32', utf8('{"name":"a"}')],
  ])('answers 415 unsupported_media_type to a body declared charset=%s', async (charset, raw) => {
    const { status, body } = await sendJson(await echo(), {
      raw,
      headers: { 'content-type': `application/json; charset=${charset}` },
    });
    expect({ status, code: body.code }).toEqual({ status: 415, code: 'unsupported_media_type' });
  });

  it.each(['utf-8', 'UTF-8', '"utf-8"'])('accepts charset=%s', async (charset) => {
    const { status, body } = await sendJson(await echo(), {
      raw: utf8('{"name":"é"}'),
      headers: { 'content-type': `application/json; charset=${charset}` },
    });
    expect({ status, body }).toEqual({ status: 200, body: { name: 'é' } });
  });

  it('answers 400 validation_failed naming every string with a lone surrogate, keys included', async () => {
    const raw = utf8('{"name":"a\\ud800b","tags":["ok","\\udfff"],"\\ud83d":1,"pair":"\\ud83d\\ude80"}');
    const { status, body } = await sendJson(await echo(), { raw });
    expect({ status, code: body.code }).toEqual({ status: 400, code: 'validation_failed' });
    expect(body.errors).toEqual([
      { path: 'name', message: 'must not contain a lone surrogate' },
      { path: 'tags.1', message: 'must not contain a lone surrogate' },
      { path: '', message: 'must not have a key with a lone surrogate' },
    ]);
  });
});
