import { AuditCheck, checkAudit } from './audit-check';
import { Figures } from './drill-client';
import { DrillEnv } from './drill-env';
import { RecordCheck } from './workload';

/** One row of the `npm run drills` table, and what the e2e specs assert on. */
export interface DrillResult {
  drill: string;
  pass: boolean;
  /** Why it failed, one line per broken promise. */
  failures: string[];
  requests: number;
  ok: number;
  unavailable: number;
  retries: number;
  lost: number;
  duplicated: number;
  recoverySeconds?: number;
  maxLatencyMs: number;
  /** Drill-specific figures for the notes column. */
  extra: Record<string, number | string | boolean>;
  audit?: AuditCheck;
  seconds: number;
}

/** Collects the promises a drill checks; `fail` records a broken one instead of throwing, so every figure is still printed. */
export class Expectations {
  readonly failures: string[] = [];

  expect(ok: boolean, message: string): void {
    if (!ok) this.failures.push(message);
  }
}

export async function finishDrill(
  drill: string, started: number, env: DrillEnv, figures: Figures, records: RecordCheck, e: Expectations,
  extra: Record<string, number | string | boolean>, recoverySeconds?: number,
): Promise<DrillResult> {
  e.expect(records.lost === 0, `${records.lost} accepted writes lost`);
  e.expect(records.duplicated === 0, `${records.duplicated} duplicated records`);
  e.expect(records.incomplete === 0, `${records.incomplete} sessions without all their attendance and action points`);
  e.expect(figures.serverErrors === 0, `${figures.serverErrors} answers were 5xx other than 503: ${figures.notes.join(' | ')}`);
  e.expect(figures.unclear503 === 0, `${figures.unclear503} answers were 503 without Retry-After or a problem body`);
  e.expect(figures.timedOut === 0, `${figures.timedOut} requests hung past the client timeout`);
  if (figures.serverErrors) {
    const logged = env.api.log().split('\n').filter((l) => l.includes('unexpected error')).slice(0, 2);
    e.failures.push(...logged.map((l) => `API log: ${l.slice(0, 1_500)}`));
  }
  const audit = await checkAudit(env.db, env.services.databaseUrl);
  return {
    drill,
    pass: e.failures.length === 0,
    failures: e.failures,
    requests: figures.requests,
    ok: figures.ok,
    unavailable: figures.unavailable,
    retries: figures.retries,
    lost: records.lost,
    duplicated: records.duplicated,
    recoverySeconds,
    maxLatencyMs: figures.maxLatencyMs,
    extra: { operations: records.operations, records: records.records, ...extra },
    audit,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
}
