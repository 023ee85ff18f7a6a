import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The page the build bundles (`vite build` into `dist/web`), from `src/server` or `dist/server` alike. */
export const defaultWebDirectory = fileURLToPath(new URL('../../dist/web/', import.meta.url));

const types: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * Answers `GET <path>` from `directory` (`/` is `index.html`); paths leaving the directory and
 * missing files get 404. Strict headers: no framing, no sniffing, scripts from this origin only.
 */
export async function serveStatic(directory: string, path: string, res: ServerResponse): Promise<void> {
  const relative = normalize(decodeURIComponent(path === '/' ? '/index.html' : path)).replace(/^[/\\]+/, '');
  const file = join(directory, relative);
  if (!file.startsWith(directory.endsWith(sep) ? directory : directory + sep)) {
    res.writeHead(404).end();
    return;
  }
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    res
      .writeHead(404, { 'content-type': 'text/plain' })
      .end(
        path === '/'
          ? 'The console page is not built: run npm run build -w @shipshape/console\n'
          : 'not found\n',
      );
    return;
  }
  res
    .writeHead(200, {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      ...securityHeaders,
    })
    .end(body);
}

/** Headers of every answer. */
export const securityHeaders: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
};
