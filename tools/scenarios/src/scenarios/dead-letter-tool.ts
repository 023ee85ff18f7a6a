import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The operator's dead-letter tool (`npm run dlq -- …`): `services/order/dist/cli/dlq.js`. */
export const dlqCli = fileURLToPath(new URL('../../../../services/order/dist/cli/dlq.js', import.meta.url));

/** One dead letter as `dlq list --json` prints it. */
export interface DeadLetterListing {
  readonly orderId: string;
  /** Attempts made before the charge was given up. */
  readonly attempts: number;
  readonly reason: string;
}

/**
 * Runs the dead-letter CLI against `redisUrl` with `args` and returns its stdout.
 * @throws Error with the CLI's stderr when it exits non-zero
 */
export function runDlq(redisUrl: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [dlqCli, ...args],
      { env: { ...process.env, REDIS_URL: redisUrl }, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`dlq ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
        else resolve(stdout);
      },
    );
  });
}

/** `dlq list --json`: every dead letter. */
export async function listDeadLetters(redisUrl: string): Promise<DeadLetterListing[]> {
  const parsed = JSON.parse(await runDlq(redisUrl, ['list', '--json'])) as unknown;
  const items = Array.isArray(parsed) ? parsed : ((parsed as { items?: unknown[] }).items ?? []);
  return items as DeadLetterListing[];
}

/** `dlq replay --all`: puts every dead letter back into the payment queue. */
export async function replayDeadLetters(redisUrl: string): Promise<void> {
  await runDlq(redisUrl, ['replay', '--all']);
}
