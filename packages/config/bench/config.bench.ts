// What reading config costs on a hot path, and what a reload costs. `get()` returns the current
// frozen snapshot (no I/O, no parsing); the zod parse baseline shows what re-validating per
// read would cost instead. Fixed iteration counts, warm-up first; prints a table, writes JSON.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { duration, loadConfig, secret } from '../src/index.ts';

const schema = z.object({
  port: z.int().default(3000),
  logLevel: z.enum(['debug', 'info', 'warn']).default('info'),
  payment: z.object({ timeoutMs: duration().default(1_000), retries: z.int().default(2) }),
  chaos: z.object({ errorRate: z.number().min(0).max(1).default(0), latencyMs: duration().default(0) }),
  db: z.object({ password: secret(z.string()), hosts: z.array(z.string()).default(['a', 'b']) }),
  limits: z.object(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, z.int().default(i)]))),
});

interface Row {
  case: string;
  iterations: number;
  nsPerOp: number;
  opsPerSec: number;
}

let sink: unknown;
function measure(name: string, iterations: number, op: () => unknown): Row {
  for (let i = 0; i < Math.min(iterations, 10_000); i++) sink = op();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink = op();
  const ns = Number(process.hrtime.bigint() - start) / iterations;
  return { case: name, iterations, nsPerOp: Math.round(ns * 10) / 10, opsPerSec: Math.round(1e9 / ns) };
}

async function measureAsync(name: string, iterations: number, op: () => Promise<unknown>): Promise<Row> {
  for (let i = 0; i < 20; i++) sink = await op();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink = await op();
  const ns = Number(process.hrtime.bigint() - start) / iterations;
  return { case: name, iterations, nsPerOp: Math.round(ns), opsPerSec: Math.round(1e9 / ns) };
}

const dir = mkdtempSync(join(tmpdir(), 'config-bench-'));
try {
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ payment: { timeoutMs: '2s' }, chaos: { errorRate: 0.1 } }));
  mkdirSync(join(dir, 'cm'));
  for (let i = 0; i < 20; i++) writeFileSync(join(dir, 'cm', `limits.k${i}`), String(i * 10));
  const env = {
    CONFIG_FILE: file,
    CONFIG_DIR: join(dir, 'cm'),
    DB__PASSWORD: 'bench-password',
    PORT: '8080',
  };
  const config = await loadConfig({ schema, env, watch: false });
  const raw = JSON.parse(JSON.stringify(config.get())) as unknown;

  const rows: Row[] = [
    measure('config.get()', 10_000_000, () => config.get()),
    measure('config.get().payment.timeoutMs', 10_000_000, () => config.get().payment.timeoutMs),
    measure("config.get('payment.timeoutMs')", 5_000_000, () => config.get('payment.timeoutMs')),
    measure('baseline: schema.parse(values) per read', 50_000, () => schema.parse(raw)),
    measure('config.describe()', 50_000, () => config.describe()),
    await measureAsync('config.reload() (file + 20-entry dir + env)', 500, () => config.reload()),
  ];
  await config.close();
  console.table(rows);
  const out = fileURLToPath(new URL('./results/config.json', import.meta.url));
  writeFileSync(out, `${JSON.stringify({ node: process.version, rows }, null, 2)}\n`);
  console.log(`wrote ${out}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
void sink;
