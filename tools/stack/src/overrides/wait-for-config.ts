import type { ConfigDescription } from '@shipshape/config';

/** Something with a base URL that serves `GET /config`. */
export interface ConfigEndpoint {
  readonly name: string;
  readonly url: string;
}

/**
 * Polls `GET /config` of every endpoint (with the operator token, when given) until `applied`
 * holds for each (a Redis override reaches the replicas through pub/sub and a debounced reload,
 * so it lands a moment after the write).
 * @throws Error naming the replicas that did not apply it within `timeoutMs`
 */
export async function waitForConfig(
  endpoints: readonly ConfigEndpoint[],
  applied: (config: ConfigDescription) => boolean,
  options: { adminToken?: string; timeoutMs?: number } = {},
): Promise<void> {
  const { timeoutMs = 10_000 } = options;
  const headers: Record<string, string> =
    options.adminToken === undefined ? {} : { authorization: `Bearer ${options.adminToken}` };
  const deadline = Date.now() + timeoutMs;
  let pending = [...endpoints];
  for (;;) {
    const checks = await Promise.all(pending.map(async (e) => ({ e, ok: await check(e, headers, applied) })));
    pending = checks.filter((c) => !c.ok).map((c) => c.e);
    if (pending.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(
        `the settings did not reach ${pending.map((e) => e.name).join(', ')} within ${timeoutMs} ms`,
      );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function check(
  endpoint: ConfigEndpoint,
  headers: Record<string, string>,
  applied: (config: ConfigDescription) => boolean,
): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint.url}/config`, {
      headers,
      signal: AbortSignal.timeout(2_000),
    });
    if (response.status !== 200) return false;
    return applied((await response.json()) as ConfigDescription);
  } catch {
    return false;
  }
}
