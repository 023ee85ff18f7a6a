/**
 * Writes the Grafana dashboards to infra/grafana/dashboards/*.json:
 *
 *   node infra/src/build-dashboards.ts
 *
 * The TypeScript under src/grafana is the source; the JSON is committed because Grafana
 * provisions files, and a test fails when the two differ.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DASHBOARDS } from './grafana/dashboards.ts';

const dir = resolve(import.meta.dirname, '..', 'grafana', 'dashboards');
for (const [file, dashboard] of Object.entries(DASHBOARDS)) {
  writeFileSync(join(dir, file), `${JSON.stringify(dashboard, null, 2)}\n`);
  console.log(`wrote ${join(dir, file)}`);
}
