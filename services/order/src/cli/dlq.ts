/**
 * `npm run dlq -- list [--json] | replay <orderId>... | replay --all`: the operator's tool for
 * the payment dead-letter queue, against REDIS_URL. Exit codes: 0 done, 1 some order ids had no
 * dead letter or a charge still finishing (replay those again), 2 bad arguments, 3 Redis
 * unreachable or failed.
 */
import { defaultSources, loadConfig } from '@shipshape/config';
import { RedisSource } from '@shipshape/config/redis';
import * as z from 'zod';
import { createRedisClient } from '@shipshape/service-kit';
import { DeadLetters, type DeadLetterEntry } from '../payments/dead-letters.ts';
import { deadLetterQueueName, openPaymentQueues } from '../payments/payment-queues.ts';
import { paymentsConfigShape } from '../payments/payments-config.ts';
import { OrderRepository } from '../storage/order-repository.ts';
import { dlqUsage, DlqUsageError, parseDlqArgs, type DlqCommand } from './dlq-args.ts';

/** `redis://host:port/db` without credentials, for messages. */
function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return '(invalid REDIS_URL)';
  }
}

function formatAmount(cents: number, currency: string): string {
  return `${(cents / 100).toFixed(2)} ${currency}`;
}

function table(entries: readonly DeadLetterEntry[]): string {
  const rows = [
    ['ORDER ID', 'AMOUNT', 'ATTEMPTS', 'FAILED AT', 'REASON', 'LAST ERROR'],
    ...entries.map((e) => [
      e.orderId,
      formatAmount(e.amountCents, e.currency),
      String(e.attempts),
      e.failedAt,
      e.reason,
      e.lastError,
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '))
    .join('\n');
}

async function run(command: Exclude<DlqCommand, { command: 'help' }>, redisUrl: string): Promise<number> {
  const probe = createRedisClient(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 3_000,
  });
  let connectError: Error | undefined;
  probe.on('error', (error: Error) => (connectError ??= error));
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    const reason = (connectError ?? (error as Error)).message;
    process.stderr.write(`dlq: cannot reach Redis at ${safeUrl(redisUrl)}: ${reason}\n`);
    probe.disconnect();
    return 3;
  }
  // Replays get the service's `worker.attempts`: the order config (file, directory, env, Redis
  // overrides), read once; keys of the order service other than the pipeline's are ignored.
  let attempts: number;
  try {
    const config = await loadConfig({
      schema: z.object(paymentsConfigShape),
      sources: [
        ...defaultSources(),
        new RedisSource({ redis: (settings) => createRedisClient(redisUrl, settings), service: 'order' }),
      ],
      unknownKeys: 'ignore',
      watch: false,
    });
    ({ attempts } = config.get().worker);
    await config.close();
  } catch (error) {
    process.stderr.write(`dlq: the order configuration is invalid: ${(error as Error).message}\n`);
    probe.disconnect();
    return 3;
  }
  let failure: Error | undefined;
  const queues = openPaymentQueues(redisUrl, (error) => (failure ??= error));
  const deadLetters = new DeadLetters({
    payments: queues.payments,
    deadLetters: queues.deadLetters,
    repository: new OrderRepository({ redis: probe }),
    attempts: () => attempts,
  });
  try {
    if (command.command === 'list') {
      const entries = await deadLetters.list();
      if (command.json) process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
      else if (entries.length === 0) process.stdout.write(`No dead letters in ${deadLetterQueueName}.\n`);
      else
        process.stdout.write(
          `${entries.length} dead letter(s) in ${deadLetterQueueName}:\n${table(entries)}\n`,
        );
      return 0;
    }
    const { replayed, missing, busy } = await deadLetters.replay(command.orderIds);
    process.stdout.write(
      replayed.length === 0
        ? 'Nothing replayed.\n'
        : `Replayed ${replayed.length} charge(s) into the payments queue: ${replayed.join(', ')}\n`,
    );
    if (missing.length > 0) process.stderr.write(`dlq: no dead letter for: ${missing.join(', ')}\n`);
    if (busy.length > 0)
      process.stderr.write(`dlq: charge still finishing, replay again in a moment: ${busy.join(', ')}\n`);
    return missing.length > 0 || busy.length > 0 ? 1 : 0;
  } catch (error) {
    process.stderr.write(`dlq: ${(failure ?? (error as Error)).message}\n`);
    return 3;
  } finally {
    await queues.close().catch(() => undefined);
    probe.disconnect();
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let command: DlqCommand;
  try {
    command = parseDlqArgs(argv);
  } catch (error) {
    if (!(error instanceof DlqUsageError)) throw error;
    process.stderr.write(`dlq: ${error.message}\n\n${dlqUsage}\n`);
    return 2;
  }
  if (command.command === 'help') {
    process.stdout.write(`${dlqUsage}\n`);
    return 0;
  }
  return run(command, process.env.REDIS_URL || 'redis://127.0.0.1:6379');
}

process.exitCode = await main(process.argv.slice(2));
