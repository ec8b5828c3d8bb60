import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { EARLY_WARNING_CIPHER } from '../../src/early-warning/early-warning-text';
import { FIELD_WORK_CIPHER } from '../../src/field-work/session-text';
import { INITIATIVE_CIPHER } from '../../src/initiatives/initiative-text';
import { sealed, sealedSessionText } from './sealed';

/**
 * One-line records for the impact-metrics tests, inserted in SQL so that each test states only the
 * facts its hand-computed figures depend on. Text that would be encrypted is a placeholder: the
 * metrics never read it.
 */

export async function insertMetricsSession(
  db: Pool,
  s: {
    networkId: string;
    heldOn: string;
    participants?: string[];
    policePartners?: string[];
    unnamed?: { women?: number; men?: number; youth?: number };
    actionPoints?: string[];
    archived?: boolean;
  },
): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO sessions (id, network_id, country_code, text_enc, kind, held_on, unnamed_women, unnamed_men, unnamed_youth, archived_at)
     SELECT $1, n.id, n.country_code, $8, 'dialogue', $3, $4, $5, $6, CASE WHEN $7 THEN now() END FROM networks n WHERE n.id = $2`,
    [id, s.networkId, s.heldOn, s.unnamed?.women ?? 0, s.unnamed?.men ?? 0, s.unnamed?.youth ?? 0, s.archived ?? false, sealedSessionText('Metrics session')],
  );
  let position = 0;
  for (const participantId of s.participants ?? []) {
    await db.query(`INSERT INTO session_attendance (id, session_id, participant_id, role, position) VALUES ($1, $2, $3, 'attendee', $4)`, [randomUUID(), id, participantId, position++]);
  }
  for (const policePartnerId of s.policePartners ?? []) {
    await db.query(`INSERT INTO session_attendance (id, session_id, police_partner_id, role, position) VALUES ($1, $2, $3, 'attendee', $4)`, [randomUUID(), id, policePartnerId, position++]);
  }
  for (const [i, status] of (s.actionPoints ?? []).entries()) {
    await db.query(`INSERT INTO action_points (id, session_id, description_enc, status, position) VALUES ($1, $2, $5, $3, $4)`, [
      randomUUID(), id, status, i, sealed('Follow up', FIELD_WORK_CIPHER.actionPointDescription),
    ]);
  }
  return id;
}

export async function insertMetricsDispute(
  db: Pool,
  d: { networkId: string; partnerId: string; reportedOn: string; status: string; resolvedOn?: string; archived?: boolean },
): Promise<string> {
  const id = randomUUID();
  const resolved = d.resolvedOn !== undefined;
  await db.query(
    `INSERT INTO disputes (id, network_id, country_code, reported_by_partner_id, reported_on, category, description_enc, severity, violence_risk, status,
                           resolution_terms_enc, resolution_agreed_on, resolved_on, referral_to, archived_at)
     SELECT $1, n.id, n.country_code, $3, $4, 'land', 'v1:test', 'low', 'none', $5,
            CASE WHEN $6 THEN 'v1:test' END, CASE WHEN $6 THEN CAST($7 AS date) END, CAST($7 AS date), CASE WHEN $5 = 'referred' THEN 'court' END, CASE WHEN $8 THEN now() END
     FROM networks n WHERE n.id = $2`,
    [id, d.networkId, d.partnerId, d.reportedOn, d.status, resolved, d.resolvedOn ?? null, d.archived ?? false],
  );
  return id;
}

export async function insertMetricsInitiative(
  db: Pool,
  i: { networkId: string; status: string; startOn: string | null; budget: string; currency: string; disbursements?: [amount: string, on: string][] },
): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO initiatives (id, network_id, country_code, title_enc, problem_statement_enc, category, funder, budget_amount, budget_currency, status, start_on)
     SELECT $1, n.id, n.country_code, $7, $8, 'other', 'A funder', $3, $4, $5, $6 FROM networks n WHERE n.id = $2`,
    [id, i.networkId, i.budget, i.currency, i.status, i.startOn, sealed('Metrics initiative', INITIATIVE_CIPHER.title), sealed('A problem', INITIATIVE_CIPHER.problemStatement)],
  );
  for (const [amount, on] of i.disbursements ?? []) {
    await db.query(`INSERT INTO disbursements (id, initiative_id, amount, currency, disbursed_on) VALUES ($1, $2, $3, $4, $5)`, [randomUUID(), id, amount, i.currency, on]);
  }
  return id;
}

export async function insertMetricsWarning(
  db: Pool,
  w: { countryCode: string; networkId: string | null; observedOn: string; riskFactors: number[]; status?: string; archived?: boolean },
): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO early_warnings (id, country_code, network_id, observed_on, risk_factors, description_enc, severity, status, archived_at)
     VALUES ($1, $2, $3, $4, $5, $8, 'medium', $6, CASE WHEN $7 THEN now() END)`,
    [id, w.countryCode, w.networkId, w.observedOn, w.riskFactors, w.status ?? 'reported', w.archived ?? false, sealed('Observed tension', EARLY_WARNING_CIPHER.description)],
  );
  return id;
}

export async function insertIndicatorValue(db: Pool, v: { networkId: string; indicator: string; period: string; value: number; archived?: boolean }): Promise<void> {
  await db.query(
    `INSERT INTO indicator_values (id, network_id, indicator, period, value, source_enc, archived_at) VALUES ($1, $2, $3, $4, $5, $7, CASE WHEN $6 THEN now() END)`,
    [randomUUID(), v.networkId, v.indicator, v.period, v.value, v.archived ?? false, sealed('Police monthly report', EARLY_WARNING_CIPHER.indicatorSource)],
  );
}

/** `YYYY-MM` of the n-th month (0-based) from January of `year`. */
export function monthOf(year: number, n: number): string {
  const y = year + Math.floor(n / 12);
  return `${y}-${String((n % 12) + 1).padStart(2, '0')}`;
}

/** A minimal RFC 4180 reader for the CSV answers (quoted fields, doubled quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n') endRow();
    else if (c !== '\r') field += c;
  }
  if (field || row.length) endRow();
  return rows;
}
