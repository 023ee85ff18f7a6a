import { parseExposition, type Exposition } from '@shipshape/test-harness/exposition';

/** `GET /metrics` of one service, read by the test harness's exposition reader. */
export async function scrape(baseUrl: string): Promise<Exposition> {
  const response = await fetch(`${baseUrl}/metrics`);
  if (response.status !== 200) throw new Error(`GET ${baseUrl}/metrics answered ${response.status}`);
  return parseExposition(await response.text());
}
