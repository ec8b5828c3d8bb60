import { Pool } from 'pg';
import { openSessionText } from '../../../src/field-work/session-text';
import { testCipher } from '../../support/sealed';
import { DrillClient, Outcome } from './drill-client';
import { DrillEnv } from './drill-env';

export const ACTION_POINTS_PER_SESSION = 3;

/** Session number `n` of a workload: its title is its identity when counting records afterwards. */
export function sessionBody(env: DrillEnv, drill: string, n: number): Record<string, unknown> {
  return {
    networkId: env.seed.networkId,
    title: `${drill}-${env.tag}-${n}`,
    kind: 'dialogue',
    heldOn: '2016-07-14',
    topics: ['police_conduct'],
    attendance: env.seed.participantIds.map((participantId, i) => ({ participantId, role: i ? 'speaker' : 'attendee' })),
    unnamedAttendance: { women: 4, men: 3, youth: 2 },
    actionPoints: Array.from({ length: ACTION_POINTS_PER_SESSION }, (_, i) => ({ description: `Follow-up ${i + 1} of ${n}` })),
  };
}

export const sessionKey = (env: DrillEnv, drill: string, n: number) => `${drill}-${env.tag}-${n}`;

/**
 * `clients` concurrent clients post sessions one after another (each with its own
 * Idempotency-Key, retried until accepted) until `stop()` says so; returns every outcome by n.
 */
export async function postSessionsUntil(
  env: DrillEnv, client: DrillClient, drill: string, clients: number, stop: () => boolean, retryForMs = 60_000,
): Promise<Map<number, Outcome>> {
  const outcomes = new Map<number, Outcome>();
  let next = 0;
  await Promise.all(Array.from({ length: clients }, async () => {
    while (!stop()) {
      const n = next++;
      outcomes.set(n, await client.postWithRetries('/api/v1/sessions', sessionBody(env, drill, n), sessionKey(env, drill, n), Date.now() + retryForMs));
    }
  }));
  return outcomes;
}

export interface RecordCheck {
  /** Operations the client sent. */
  operations: number;
  /** Operations the API accepted (a 2xx at some point). */
  accepted: number;
  /** Sessions in the database for these operations. */
  records: number;
  /** Accepted operations with no record, or a record other than the one the API answered with. */
  lost: number;
  /** Records beyond the first for one operation. */
  duplicated: number;
  /** Records without all their attendance and action points. */
  incomplete: number;
  /** Records for operations the API never accepted (fine after a crash; counted for the table). */
  unacknowledged: number;
}

/**
 * Counts what the workload left behind: by title (decrypted: titles are stored only encrypted),
 * with its attendance and action points.
 */
export async function checkSessions(db: Pool, env: DrillEnv, drill: string, outcomes: Map<number, Outcome>): Promise<RecordCheck> {
  const { rows: sessions } = await db.query<{ id: string; text_enc: string; attendance: number; points: number }>(
    `SELECT s.id::text AS id, s.text_enc,
            (SELECT count(*)::int FROM session_attendance a WHERE a.session_id = s.id) AS attendance,
            (SELECT count(*)::int FROM action_points p WHERE p.session_id = s.id) AS points
       FROM sessions s WHERE s.network_id = $1 ORDER BY s.id`,
    [env.seed.networkId],
  );
  const prefix = `${drill}-${env.tag}-`;
  const byTitle = new Map<string, { title: string; ids: string[]; attendance: number[]; points: number[] }>();
  for (const s of sessions) {
    const { title } = openSessionText(testCipher(), s.text_enc);
    if (!title.startsWith(prefix)) continue;
    const row = byTitle.get(title) ?? { title, ids: [], attendance: [], points: [] };
    row.ids.push(s.id);
    row.attendance.push(s.attendance);
    row.points.push(s.points);
    byTitle.set(title, row);
  }
  const rows = [...byTitle.values()];
  const check: RecordCheck = { operations: outcomes.size, accepted: 0, records: 0, lost: 0, duplicated: 0, incomplete: 0, unacknowledged: 0 };
  const expectedAttendance = env.seed.participantIds.length;
  for (const row of rows) {
    check.records += row.ids.length;
    check.duplicated += row.ids.length - 1;
    check.incomplete += row.attendance.filter((a, i) => a !== expectedAttendance || row.points[i] !== ACTION_POINTS_PER_SESSION).length;
  }
  for (const [n, outcome] of outcomes) {
    const row = byTitle.get(`${drill}-${env.tag}-${n}`);
    if (outcome.accepted) {
      check.accepted += 1;
      if (!row || !row.ids.includes(outcome.id!)) check.lost += 1;
    } else if (row) check.unacknowledged += 1;
  }
  return check;
}
