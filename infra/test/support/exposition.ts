/**
 * Reads the sample names out of a Prometheus or OpenMetrics text exposition (`GET /metrics`):
 * `http_server_request_duration_seconds_bucket`, `_sum`, `_count`, gauges, counters, as they
 * appear at the start of each sample line. Comments and blank lines are skipped.
 */
export function sampleNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
    if (match !== null) names.add(match[0]);
  }
  return names;
}
