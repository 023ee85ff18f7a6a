/**
 * Sums the samples of `name` whose labels include `labels`, from a Prometheus or OpenMetrics
 * text exposition (an exemplar after ` # ` is ignored).
 */
export function sampleSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const raw of text.split('\n')) {
    const line = raw.split(' # ')[0] ?? '';
    if (!line.startsWith(name) || line.startsWith('#')) continue;
    const next = line[name.length];
    if (next !== '{' && next !== ' ') continue;
    const close = line.lastIndexOf('}');
    const labelText = next === '{' ? line.slice(name.length, close + 1) : '';
    if (!Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) continue;
    const value = Number(
      (next === '{' ? line.slice(close + 1) : line.slice(name.length)).trim().split(/\s+/)[0],
    );
    if (Number.isFinite(value)) sum += value;
  }
  return sum;
}

/** `GET /metrics` of one service as text. */
export async function scrape(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/metrics`);
  if (response.status !== 200) throw new Error(`GET ${baseUrl}/metrics answered ${response.status}`);
  return response.text();
}
