#!/usr/bin/env node
// Entry point of `npm run scenario -- <name> …`. Exit codes: 0 every hypothesis held, 1 one
// failed, 2 bad usage or a scenario that cannot run where it was pointed, 3 the scenario could
// not run (start-up failed, unexpected error), 130/143 stopped by SIGINT/SIGTERM.
import { parseCli, usage, type ScenarioCli } from './cli-args.ts';
import { targetEnvironment } from './environment/target-environment.ts';
import { runScenario } from './framework/run-scenario.ts';
import { isScenarioUnsupportedError } from './framework/scenario-unsupported-error.ts';
import { formatVerdict } from './framework/verdict.ts';
import { scenarios } from './scenarios/index.ts';

async function main(): Promise<number> {
  const names = Object.keys(scenarios);
  let cli: ScenarioCli;
  try {
    cli = parseCli(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`scenario: ${(error as Error).message}\nSee npm run scenario -- --help`);
    return 2;
  }
  if (cli.help) {
    process.stdout.write(usage(names));
    return 0;
  }
  if (cli.scenario === 'list') {
    for (const [name, definition] of Object.entries(scenarios))
      console.log(`${name.padEnd(16)} ${definition.title}`);
    return 0;
  }
  const definition = cli.scenario === undefined ? undefined : scenarios[cli.scenario];
  if (!definition) {
    console.error(
      `scenario: ${cli.scenario === undefined ? 'name a scenario' : `unknown scenario "${cli.scenario}"`} (${names.join(', ')})`,
    );
    return 2;
  }

  if (!cli.defence && definition.defence === undefined) {
    console.error(`scenario: ${definition.name} exercises no defence that --no-defence could switch off`);
    return 2;
  }

  const controller = new AbortController();
  let stoppedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stoppedBy !== undefined) process.exit(signal === 'SIGINT' ? 130 : 143);
    stoppedBy = signal;
    process.stderr.write(`\nscenario: ${signal}, stopping and cleaning up (again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const target = cli.target
    ? targetEnvironment({
        urls: cli.target,
        ...(cli.redisUrl === undefined ? {} : { redisUrl: cli.redisUrl }),
        ...(cli.adminToken === undefined ? {} : { adminToken: cli.adminToken }),
      })
    : undefined;
  try {
    const verdict = await runScenario(definition, {
      mode: { short: cli.short, fault: cli.fault, defence: cli.defence },
      ...(target ? { target } : {}),
      ...(cli.seed === undefined ? {} : { seed: cli.seed }),
      ...(cli.quiet ? {} : { log: (line: string) => process.stderr.write(`${line}\n`) }),
      showServiceLogs: cli.logs,
      signal: controller.signal,
    });
    process.stdout.write(cli.json ? `${JSON.stringify(verdict, null, 2)}\n` : `${formatVerdict(verdict)}\n`);
    if (stoppedBy === 'SIGINT') return 130;
    if (stoppedBy === 'SIGTERM') return 143;
    return verdict.passed ? 0 : 1;
  } catch (error) {
    if (isScenarioUnsupportedError(error)) {
      console.error(`scenario: ${error.message}`);
      return 2;
    }
    console.error(`scenario: ${definition.name} could not run:`, error);
    return 3;
  } finally {
    await target?.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('scenario: failed:', error);
    process.exitCode = 3;
  },
);
