import { describe, expect, it } from 'vitest';
import { parseEndpointTable } from './readme-endpoint-table.ts';

describe('parseEndpointTable', () => {
  const readme = [
    '# Service',
    '',
    '## Endpoints',
    '',
    '| method and path | answers |',
    '| --- | --- |',
    '| `POST /users` `{ email, name }` | 201 \\| 409 |',
    '| `GET /users/:id` | 200 |',
    '| `GET /users?limit=&cursor=` | 200 |',
    '| `GET /health`, `/ready` | as for every service |',
    '',
    '## Errors',
    '',
    '| `DELETE /not/an/endpoint` | x |',
  ].join('\n');

  it('reads each route of the first cells under ## Endpoints, in OpenAPI path form', () => {
    expect(parseEndpointTable(readme)).toEqual([
      'POST /users',
      'GET /users/{id}',
      'GET /users',
      'GET /health',
      'GET /ready',
    ]);
  });

  it('finds nothing without an Endpoints section', () => {
    expect(parseEndpointTable('# Title\n\n| `GET /x` | y |\n')).toEqual([]);
  });
});
