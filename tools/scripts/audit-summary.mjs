// Reads `npm audit --json` on stdin and says, in one line, which of three different outcomes it
// was — they used to read the same in CI:
//   exit 0  audited: no high or critical advisory;
//   exit 1  audited: N high or critical advisories (the full report: `npm audit --omit=dev`);
//   exit 2  could not audit: the registry refused the audit endpoint (this one answers 405) or
//           could not be reached, so nothing was checked.
// Usage: npm audit --omit=dev --json | node tools/scripts/audit-summary.mjs
import { readFileSync } from 'node:fs';

/**
 * The outcome of one `npm audit --json` output.
 * @param {string} text what npm printed on stdout
 * @returns {{ exitCode: 0 | 1 | 2, line: string }}
 */
function summarizeAudit(text) {
  let report;
  try {
    report = JSON.parse(text);
  } catch {
    return { exitCode: 2, line: 'could not audit: npm audit printed no JSON report; nothing was checked' };
  }
  const counts = report?.metadata?.vulnerabilities;
  if (typeof counts !== 'object' || counts === null) {
    const reason =
      typeof report?.statusCode === 'number'
        ? `the registry answered ${report.message ?? report.statusCode}`
        : (report?.error?.code ??
          report?.error?.summary ??
          report?.message ??
          'no advisory data in the report');
    return { exitCode: 2, line: `could not audit (${reason}); no advisory was checked` };
  }
  const n = (level) => Number(counts[level] ?? 0);
  const serious = n('critical') + n('high');
  const below = `moderate ${n('moderate')}, low ${n('low')}, info ${n('info')} below the threshold`;
  const audited = report.metadata.dependencies?.prod ?? report.metadata.dependencies?.total;
  if (serious === 0) {
    return {
      exitCode: 0,
      line: `no high or critical advisory${audited === undefined ? '' : ` in ${audited} packages`} (${below})`,
    };
  }
  return {
    exitCode: 1,
    line: `${serious} high or critical ${serious === 1 ? 'advisory' : 'advisories'} (critical ${n('critical')}, high ${n('high')}; ${below})`,
  };
}

const { exitCode, line } = summarizeAudit(readFileSync(0, 'utf8'));
console.log(`audit: ${line}`);
process.exitCode = exitCode;
