// How fast can the generator itself keep its schedule on this machine? Runs steady load at
// rising rates against the fake services in a separate process and reports the send lag (how
// late requests left, actual − intended), drops, and latency vs service time. When the send lag
// p99 grows past a few ms the generator, not the server, is setting the pace: give it a core or
// lower the rate. Prints a table and writes bench/results/generator.json; asserts nothing.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runLoad } from '../src/run-load.ts';
import { resolveTargets } from '../src/targets.ts';

const rates = [250, 500, 1000, 2000, 4000];
const durationMs = 3000;

const serve = fileURLToPath(new URL('../test/fixtures/serve.ts', import.meta.url));
const server = spawn(process.execPath, [serve, '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<string>((resolve, reject) => {
  server.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
  server.once('error', reject);
});

const rows: Record<string, number>[] = [];
try {
  for (const rate of rates) {
    const result = await runLoad({
      targets: resolveTargets({ user: url, order: url, payment: url }, {}),
      profile: { rate, durationMs },
      seed: 1,
    });
    rows.push({
      targetRate: rate,
      scheduled: result.scheduled,
      sent: result.sent,
      dropped: result.dropped,
      achievedRate: Number(result.achievedRate.toFixed(1)),
      sendLagP50Ms: result.sendLag.p50Ms,
      sendLagP99Ms: result.sendLag.p99Ms,
      sendLagMaxMs: result.sendLag.maxMs,
      latencyP50Ms: result.latency.p50Ms,
      latencyP99Ms: result.latency.p99Ms,
      serviceP50Ms: result.serviceTime.p50Ms,
      serviceP99Ms: result.serviceTime.p99Ms,
    });
  }
} finally {
  server.kill('SIGTERM');
}

console.log(
  `steady load for ${durationMs / 1000} s per rate against the fake services (separate process), ms`,
);
console.table(rows);
const results = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(results, { recursive: true });
writeFileSync(
  `${results}generator.json`,
  `${JSON.stringify({ node: process.version, cpus: (await import('node:os')).cpus().length, durationMs, rows }, null, 2)}\n`,
);
