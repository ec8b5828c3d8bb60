import { DrillResult } from './drill-result';

/** The audit-integrity row: audit:verify and the per-entity counts of every drill's database. */
export function auditRow(results: DrillResult[]): DrillResult {
  const audited = results.filter((r) => r.audit);
  const failures = audited.flatMap((r) => [
    ...(r.audit!.chainOk ? [] : [`${r.drill}: audit:verify failed: ${r.audit!.chainOutput}`]),
    ...r.audit!.entities.filter((x) => x.unaudited || x.phantom).map((x) => `${r.drill}: ${x.table} ${x.unaudited} unaudited, ${x.phantom} phantom`),
  ]);
  if (audited.length < results.length) failures.push(`${results.length - audited.length} drill(s) ended before the audit check`);
  const records = audited.reduce((sum, r) => sum + r.audit!.entities.reduce((s, x) => s + x.records, 0), 0);
  return {
    drill: 'audit-integrity',
    pass: failures.length === 0,
    failures,
    requests: 0, ok: 0, unavailable: 0, retries: 0, lost: 0, duplicated: 0, maxLatencyMs: 0,
    extra: { databases: audited.length, events: audited.reduce((sum, r) => sum + r.audit!.events, 0), records, unaudited: audited.reduce((s, r) => s + r.audit!.unaudited, 0) },
    seconds: 0,
  };
}

export function printTable(results: DrillResult[]): void {
  const header = ['drill', 'result', 'requests', '2xx', '503', 'retries', 'lost', 'duplicated', 'recovery s', 'max latency ms', 'figures'];
  const rows = results.map((r) => [
    r.drill, r.pass ? 'pass' : 'FAIL', r.requests, r.ok, r.unavailable, r.retries, r.lost, r.duplicated,
    r.recoverySeconds === undefined ? '-' : r.recoverySeconds.toFixed(1), r.maxLatencyMs,
    Object.entries(r.extra).map(([k, v]) => `${k}=${v}`).join(' '),
  ].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(['', line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n'));
  for (const r of results.filter((x) => !x.pass)) console.log(`\n${r.drill} FAILED:\n  ${r.failures.join('\n  ')}`);
}
