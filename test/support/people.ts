import { randomBytes } from 'node:crypto';
import { TestApp } from './test-app';

/** A valid POST /participants body; a test overrides only what matters to it. */
export function participantBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    countryCode: 'NP',
    fullName: `Test Person ${randomBytes(4).toString('hex')}`,
    phone: `+977-98${Math.floor(Math.random() * 1e8).toString().padStart(8, '0')}`,
    gender: 'female',
    ageBand: '30_44',
    stakeholderGroup: 'journalist',
    affiliation: 'Local radio',
    networkIds: [],
    consent: { given: true, recordedOn: '2024-03-01', scope: 'programme records and session attendance' },
    ...overrides,
  };
}

/** A valid POST /police-partners body. */
export function policePartnerBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    countryCode: 'NP',
    fullName: `Officer ${randomBytes(4).toString('hex')}`,
    institution: 'police',
    rank: 'Inspector',
    unit: 'Community policing',
    station: 'Ward 4 station',
    networkIds: [],
    ...overrides,
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Audit rows for one record, optionally of one action. */
export async function auditRows(t: TestApp, entity: string, entityId: string, action?: string): Promise<{ action: string; actor_role: string; changes: Record<string, unknown> }[]> {
  const { rows } = await t.db.query(
    `SELECT action, actor_role, changes FROM audit_events WHERE entity = $1 AND entity_id = $2 AND ($3::text IS NULL OR action = $3) ORDER BY seq`,
    [entity, entityId, action ?? null],
  );
  return rows;
}
