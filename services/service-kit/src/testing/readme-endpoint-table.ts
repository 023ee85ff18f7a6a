import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { JsonObject } from '../openapi/components.ts';
import { inspectOpenApiDocument } from './openapi-document.ts';

const methodAndPath = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(\/\S*)$/;

/** `/orders/:id?x=` as OpenAPI writes it: `/orders/{id}`. */
function openApiPath(path: string): string {
  return path.replace(/\?.*$/, '').replace(/:([A-Za-z_]\w*)/g, '{$1}');
}

/**
 * The operations a service README's endpoint table lists, as `METHOD /path` in OpenAPI's path
 * form (`:id` → `{id}`, query strings dropped). The table is the first one under the
 * `## Endpoints` heading; each row's first cell names its routes in code spans, e.g.
 * `` `GET /health`, `/ready` `` (a path without a method takes the method before it). Code
 * spans that are not routes (`` `{ email, name }` ``) are skipped.
 */
export function parseEndpointTable(markdown: string): string[] {
  const start = markdown.search(/^## Endpoints\s*$/m);
  if (start < 0) return [];
  const section = markdown.slice(start).split(/\n## /)[0]!;
  const rows = section.split('\n').filter((line) => line.startsWith('|'));
  const operations: string[] = [];
  for (const row of rows.slice(2)) {
    const firstCell = row.slice(1).split(/(?<!\\)\|/)[0]!;
    let method: string | undefined;
    for (const [, span] of firstCell.matchAll(/`([^`]+)`/g)) {
      const route = methodAndPath.exec(span!.trim());
      if (route) {
        method = route[1]!;
        operations.push(`${method} ${openApiPath(route[2]!)}`);
      } else if (span!.startsWith('/') && method !== undefined) {
        operations.push(`${method} ${openApiPath(span!)}`);
      }
    }
  }
  return operations;
}

/**
 * Asserts that the endpoint table of the README at `readmeUrl` lists exactly the operations of
 * the service's generated OpenAPI document: none missing, none extra.
 */
export function expectEndpointTableMatches(readmeUrl: URL, openApiDocument: JsonObject): void {
  const documented = parseEndpointTable(readFileSync(readmeUrl, 'utf8'));
  expect(documented.length, `no endpoint table in ${readmeUrl.pathname}`).toBeGreaterThan(0);
  const { operations } = inspectOpenApiDocument(openApiDocument);
  expect([...documented].sort()).toEqual([...operations].sort());
}
