// `npm run chaos -- <service> key=value …`: runtime settings of every replica through Redis.
import { overrideKeys } from '@shipshape/config/redis';
import { createRedisClient } from '@shipshape/service-kit';
import { styleText } from 'node:util';
import { applyOverrides, clearServiceOverrides, currentOverrides } from '../overrides/apply-overrides.ts';
import { isInvalidOverridesError } from '../overrides/invalid-overrides-error.ts';
import { redactRedisUrl, redisUnreachableReason } from '../redis-check.ts';
import { ChaosUsageError, chaosUsage, parseChaosArgs, type ChaosCommand } from './chaos-args.ts';

const fail = (text: string, code: number): never => {
  process.stderr.write(`${styleText(['red', 'bold'], 'chaos:')} ${text}\n`);
  process.exit(code);
};

let command: ChaosCommand = { kind: 'help' };
try {
  command = parseChaosArgs(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof ChaosUsageError)) throw error;
  fail(`${error.message}\n\n${chaosUsage}`, 2);
}
if (command.kind === 'help') {
  process.stdout.write(`${chaosUsage}\n`);
  process.exit(0);
}

const redisUrl = process.env['REDIS_URL']?.trim() || 'redis://127.0.0.1:6379';
const unreachable = await redisUnreachableReason(redisUrl);
if (unreachable !== undefined)
  fail(`Redis is unreachable at ${redactRedisUrl(redisUrl)} (${unreachable})`, 1);
const redis = createRedisClient(redisUrl, { maxRetriesPerRequest: 1 });
redis.on('error', () => undefined);
const { service } = command;
const hash = overrideKeys(service).hash;

try {
  if (command.kind === 'reset') {
    const before = await currentOverrides(redis, service);
    await clearServiceOverrides(redis, service);
    const keys = Object.keys(before);
    console.log(
      keys.length === 0
        ? `${service}: no overrides were set`
        : `${service}: removed ${keys.map((k) => `${k} (was ${before[k]})`).join(', ')}`,
    );
  } else if (command.kind === 'set') {
    const existing = await currentOverrides(redis, service);
    const { set, removed } = await applyOverrides(redis, service, command.set, command.clear);
    for (const o of set)
      console.log(
        `${service}: ${o.path} = ${JSON.stringify(o.value)} (was ${existing[o.path] ?? 'not overridden'})`,
      );
    for (const path of removed)
      console.log(`${service}: ${path} override removed (was ${existing[path] ?? 'not overridden'})`);
    console.log(`every ${service} replica applies it within a moment (GET /config shows the source)`);
  } else {
    const current = await currentOverrides(redis, service);
    const entries = Object.entries(current);
    if (entries.length === 0) console.log(`${service}: no overrides (Redis hash ${hash} is empty)`);
    for (const [key, value] of entries) console.log(`${service}: ${key} = ${value}`);
  }
} catch (error) {
  if (isInvalidOverridesError(error)) fail(error.message, 2);
  throw error;
} finally {
  redis.disconnect();
}
