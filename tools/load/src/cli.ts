#!/usr/bin/env node
// Entry point of `npm run load -- …`. Exit codes: 0 finished, 2 bad usage or refused target,
// 3 finished but `--fail-on-status` failed, 130/143 stopped by SIGINT/SIGTERM (the summary is
// still printed), 1 unexpected failure.
import { parseCli, usage } from './cli-args.ts';
import { formatDurationMs } from './duration.ts';
import { LoadMetrics } from './load-metrics.ts';
import { startMetricsServer, type MetricsServer } from './metrics-server.ts';
import { randomSeed } from './prng.ts';
import { createProgressPrinter } from './progress.ts';
import { runLoad } from './run-load.ts';
import { formatRefusalNote, rateLimitRefusals } from './refusals.ts';
import { evaluateStatusCheck } from './status-check.ts';
import { formatSummary } from './summary.ts';
import { isTargetRefusedError } from './target-refused-error.ts';

async function main(): Promise<number> {
  let config;
  try {
    config = parseCli(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`load: ${(error as Error).message}\nSee npm run load -- --help`);
    return 2;
  }
  if (config.help) {
    process.stdout.write(usage);
    return 0;
  }

  const metrics = new LoadMetrics();
  let metricsServer: MetricsServer | undefined;
  if (config.metricsPort !== null) {
    try {
      metricsServer = await startMetricsServer(metrics.registry, config.metricsHost, config.metricsPort);
    } catch (error) {
      // A busy port must not stop the load: the run is still measured and summarised.
      console.error(
        `load: metrics server not started (${(error as Error).message}); continuing without /metrics`,
      );
    }
  }

  const controller = new AbortController();
  let stoppedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stoppedBy !== undefined) process.exit(signal === 'SIGINT' ? 130 : 143);
    stoppedBy = signal;
    process.stderr.write(`\nload: ${signal}, stopping (again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const seed = config.run.seed ?? randomSeed();
  const progress = createProgressPrinter(process.stderr);
  const p = config.run.profile ?? {};
  process.stderr.write(
    `load: ${p.profile ?? 'steady'} ${p.rate ?? 20} req/s for ${formatDurationMs(p.durationMs ?? (p.profile === 'soak' ? 3_600_000 : 60_000))}, seed ${seed}` +
      ` → ${Object.entries(config.run.targets)
        .map(([service, target]) => `${service}=${target.urls.map((url) => url.host).join(',')}`)
        .join(' ')}` +
      (metricsServer === undefined ? '' : `; metrics ${metricsServer.url}/metrics`) +
      '\n',
  );
  let failedCheck = false;
  try {
    const result = await runLoad({
      ...config.run,
      seed,
      metrics,
      signal: controller.signal,
      ...(config.quiet ? {} : { onProgress: (snapshot) => progress.print(snapshot) }),
    });
    progress.end();
    process.stdout.write(config.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatSummary(result)}\n`);
    // The text summary carries the note itself; with --json, stdout stays pure JSON.
    const note = config.json ? formatRefusalNote(rateLimitRefusals(result)) : undefined;
    if (note !== undefined) process.stderr.write(`load: ${note}\n`);
    if (config.statusCheck !== undefined) {
      const outcome = evaluateStatusCheck(config.statusCheck, result);
      process.stderr.write(`${outcome.line}\n`);
      failedCheck = outcome.failed;
    }
  } catch (error) {
    progress.end();
    if (isTargetRefusedError(error)) {
      console.error(`load: ${error.message}`);
      return 2;
    }
    throw error;
  } finally {
    await metricsServer?.close();
  }
  if (stoppedBy === 'SIGINT') return 130;
  if (stoppedBy === 'SIGTERM') return 143;
  return failedCheck ? 3 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('load: failed:', error);
    process.exitCode = 1;
  },
);
