// The console in a real browser against the real services: chaos from the page opens payment's
// breaker and grows the queue, reset drains it and closes the breaker, and payment-outage
// --short run from the page ends PASS. Screenshots go to .test-results/screenshots.
import { startStack, type Stack } from '@shipshape/stack';
import { skipWithoutTool } from '@shipshape/test-harness';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { get, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole, type ConsoleServer } from '../src/server/index.ts';
import { launchBrowser, type TestBrowser } from './support/browser.ts';

function getWithHost(url: string, host: string): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { host } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    }).on('error', reject);
  });
}

const skip = skipWithoutTool('chromium', 'apt-get install chromium');

describe.skipIf(skip)('the console in Chromium', () => {
  const redis = useRedisServer();
  let stack: Stack;
  let consoleServer: ConsoleServer;
  let browser: TestBrowser;
  const consoleUrls = (): Record<'user' | 'order' | 'payment', string[]> => ({
    user: stack.urls('user'),
    order: stack.urls('order'),
    payment: stack.urls('payment'),
  });

  beforeAll(async () => {
    stack = await startStack({
      redisUrl: redis.url,
      env: { RATE_LIMIT__LIMIT: '1000000' },
      serviceEnv: {
        order: {
          WORKER__BACKOFF_MS: '200',
          WORKER__BACKOFF_MAX_MS: '1000',
          PAYMENT_CLIENT__BREAKER_OPEN_DURATION_MS: '1000',
        },
        payment: { PROCESSOR__RETRY_AFTER_MS: '100' },
      },
    });
    consoleServer = await startConsole({
      urls: consoleUrls(),
      redisUrl: redis.url,
      adminToken: stack.adminToken,
      port: 0,
    });
    browser = await launchBrowser();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await consoleServer?.close();
    await stack?.stop();
  }, 90_000);

  it('is read-only with a banner without the token, and refuses cross-origin and tokenless controls', async () => {
    const { page } = browser;
    await page.goto(`${consoleServer.url}/`);
    await page.locator('#banner').getByText('Read-only').waitFor();
    expect(await page.locator('[data-chaos-apply="payment"]').isDisabled()).toBe(true);
    await page.locator('[data-node="order"]').waitFor();
    await browser.screenshot('00-read-only');

    const post = (headers: Record<string, string>): Promise<Response> =>
      fetch(`${consoleServer.url}/api/chaos`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ service: 'payment', values: { errorRate: 1 } }),
      });
    const origin = consoleServer.url;
    const auth = `Bearer ${stack.adminToken}`;
    expect((await post({ origin: 'http://evil.example', authorization: auth })).status).toBe(403);
    expect((await post({ authorization: auth })).status).toBe(403); // no Origin: not from the page
    expect((await post({ origin })).status).toBe(401);
    expect((await post({ origin, authorization: 'Bearer wrong-token-123456' })).status).toBe(401);
    // DNS rebinding: a page of another name that resolves to 127.0.0.1 is turned away.
    const rebound = await getWithHost(`${consoleServer.url}/api/info`, 'evil.example');
    expect(rebound.status).toBe(403);
    expect(rebound.headers['access-control-allow-origin']).toBeUndefined();

    // A console given no admin token at all stays read-only and says why.
    await using tokenless = await startConsole({ urls: consoleUrls(), redisUrl: redis.url, port: 0 });
    await page.goto(`${tokenless.url}/#token=${stack.adminToken}`);
    await page.locator('#banner').getByText('started without the system admin token').waitFor();
    expect(await page.locator('#load-start').isDisabled()).toBe(true);
  });

  it('errorRate=1 on payment opens its breaker and grows the queue; reset drains it and closes the breaker', async () => {
    const { page } = browser;
    await page.goto(`${consoleServer.url}/#token=${stack.adminToken}`);
    await page.locator('#banner').waitFor({ state: 'hidden' });
    expect(page.url()).not.toContain('token'); // taken out of the address bar

    await page.fill('#load-rate', '20');
    await page.fill('#load-duration', '120');
    await page.click('#load-start');
    await page.locator('#load-progress[data-running="true"]').waitFor();
    await page.locator('[data-breaker-upstream="payment"][data-state="closed"]').first().waitFor();

    // A value the payment schema refuses changes nothing and the page says why.
    await page.fill('[data-chaos-input="payment.errorRate"]', '2');
    await page.click('[data-chaos-apply="payment"]');
    await page.locator('[data-chaos-note="payment"].error').getByText('errorRate').waitFor();
    expect(await page.locator('[data-overrides="payment"]').textContent()).toBe('no overrides');

    await page.fill('[data-chaos-input="payment.errorRate"]', '1');
    await page.click('[data-chaos-apply="payment"]');
    await page.locator('[data-chaos-note="payment"]').getByText('applied on every replica').waitFor();
    await page
      .locator('[data-breaker-upstream="payment"][data-state="open"]')
      .first()
      .waitFor({ timeout: 20_000 });
    await page.waitForFunction(
      () =>
        Number(document.querySelector('[data-node="queue"]')?.getAttribute('data-queue-depth') || 0) >= 10,
      undefined,
      { timeout: 20_000 },
    );
    const depthDuringOutage = Number(
      await page.locator('[data-node="queue"]').getAttribute('data-queue-depth'),
    );
    await browser.screenshot('01-payment-errors-breaker-open');

    await page.click('[data-chaos-reset="payment"]');
    await page.locator('[data-chaos-note="payment"]').getByText('every override removed').waitFor();
    await page.click('#load-stop');
    await page.locator('#load-progress[data-running="false"]').waitFor({ timeout: 20_000 });
    await page.waitForFunction(
      () => document.querySelector('[data-node="queue"]')?.getAttribute('data-queue-depth') === '0',
      undefined,
      { timeout: 30_000 },
    );
    await page
      .locator('[data-breaker-upstream="payment"][data-state="closed"]')
      .first()
      .waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-breaker-upstream="payment"][data-state="open"]').count()).toBe(0);
    await page.click('#dlq-replay');
    await page.waitForFunction(
      () =>
        document.querySelector('[data-queue="dead-letter"] b')?.textContent === '0' &&
        document.querySelector('[data-node="queue"]')?.getAttribute('data-queue-depth') === '0',
      undefined,
      { timeout: 20_000 },
    );
    await browser.screenshot('02-reset-drained-breaker-closed');
    expect(depthDuringOutage).toBeGreaterThanOrEqual(10);
  }, 120_000);

  it('runs payment-outage --short from the page and shows its verdict PASS', async () => {
    const { page } = browser;
    await page.selectOption('#experiment-scenario', 'payment-outage');
    await page.selectOption('#experiment-where', 'private');
    await page.check('#experiment-short');
    await page.click('#experiment-run');
    const run = page.locator('[data-scenario="payment-outage"]').first();
    await run
      .locator('[data-step-state="running"], [data-step-state="done"]')
      .first()
      .waitFor({ timeout: 60_000 });
    expect(await run.locator('[data-pass="pending"]').count()).toBeGreaterThan(0);
    // While it runs, the topology follows the private system, where payment is killed.
    await page
      .locator('#topology[data-system^="private system of payment-outage"]')
      .waitFor({ timeout: 30_000 });
    await page
      .locator('#topology [data-breaker-upstream="payment"][data-state="open"]')
      .first()
      .waitFor({ timeout: 30_000 });
    await browser.screenshot('03-experiment-running');
    await page
      .locator('[data-scenario="payment-outage"]:not([data-state="running"])')
      .first()
      .waitFor({ timeout: 150_000 });
    await browser.screenshot('04-experiment-verdict');
    const failed = await run.locator('[data-pass="false"]').allTextContents();
    expect(failed).toEqual([]);
    expect(await run.getAttribute('data-state')).toBe('passed');
    expect(await run.locator('[data-verdict]').textContent()).toBe('PASS');
    expect(await run.locator('[data-pass="true"]').count()).toBeGreaterThanOrEqual(5);
    await page.locator('#topology[data-system="this system"]').waitFor();
  }, 180_000);
});
