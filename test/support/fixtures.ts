import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { sealedSessionText } from './sealed';

/**
 * One-line records for tests, inserted straight in SQL so a test states only what matters to it
 * and does not depend on another resource's API. Values are realistic but never real people.
 */

export async function insertNetwork(
  db: Pool,
  n: { countryCode?: string; name?: string; level?: string; parentId?: string | null; status?: string; partnerIds?: string[] } = {},
): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO networks (id, country_code, name, level, parent_id, admin_area, established_on, status)
     VALUES ($1, $2, $3, $4, $5, 'Test district', '2015-01-01', $6)`,
    [id, n.countryCode ?? 'NP', n.name ?? `Network ${id.slice(0, 8)}`, n.level ?? 'district', n.parentId ?? null, n.status ?? 'active'],
  );
  for (const partnerId of n.partnerIds ?? []) await assignPartner(db, partnerId, id);
  return id;
}

export async function insertPartner(db: Pool, p: { countryCode?: string; name?: string; networkIds?: string[] } = {}): Promise<string> {
  const id = randomUUID();
  await db.query(`INSERT INTO partners (id, country_code, name, kind) VALUES ($1, $2, $3, 'csos')`, [
    id,
    p.countryCode ?? 'NP',
    p.name ?? `Partner ${id.slice(0, 8)}`,
  ]);
  for (const networkId of p.networkIds ?? []) await assignPartner(db, id, networkId);
  return id;
}

export async function assignPartner(db: Pool, partnerId: string, networkId: string): Promise<void> {
  await db.query('INSERT INTO partner_networks (partner_id, network_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [partnerId, networkId]);
}

let codeCounter = 0;

/**
 * A participant row with no identity stored (as after erasure): enough for sessions, disputes and
 * metrics tests. Tests of identity handling go through POST /participants.
 */
export async function insertParticipant(
  db: Pool,
  p: { countryCode?: string; gender?: string; ageBand?: string; stakeholderGroup?: string; consentGiven?: boolean; networkIds?: string[] } = {},
): Promise<string> {
  const id = randomUUID();
  const country = p.countryCode ?? 'NP';
  codeCounter += 1;
  await db.query(
    `INSERT INTO participants (id, code, country_code, gender, age_band, stakeholder_group, consent_given, consent_recorded_on, consent_scope)
     VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $7 THEN DATE '2020-01-01' END, CASE WHEN $7 THEN 'programme records' END)`,
    [id, `${country}-P-T${process.pid}${String(codeCounter).padStart(5, '0')}`, country, p.gender ?? 'female', p.ageBand ?? '30_44', p.stakeholderGroup ?? 'civil_society', p.consentGiven ?? true],
  );
  for (const networkId of p.networkIds ?? []) {
    await db.query('INSERT INTO participant_networks (participant_id, network_id) VALUES ($1, $2)', [id, networkId]);
  }
  return id;
}

export async function insertPolicePartner(db: Pool, p: { countryCode?: string; institution?: string; networkIds?: string[] } = {}): Promise<string> {
  const id = randomUUID();
  const country = p.countryCode ?? 'NP';
  codeCounter += 1;
  await db.query(`INSERT INTO police_partners (id, code, country_code, institution) VALUES ($1, $2, $3, $4)`, [
    id,
    `${country}-S-T${process.pid}${String(codeCounter).padStart(5, '0')}`,
    country,
    p.institution ?? 'police',
  ]);
  for (const networkId of p.networkIds ?? []) {
    await db.query('INSERT INTO police_partner_networks (police_partner_id, network_id) VALUES ($1, $2)', [id, networkId]);
  }
  return id;
}

/** A dialogue session row (no attendance), for records that cite a session. */
export async function insertSession(db: Pool, s: { networkId: string; heldOn?: string; title?: string }): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO sessions (id, network_id, country_code, text_enc, kind, held_on)
     SELECT $1, n.id, n.country_code, $3, 'dialogue', $4 FROM networks n WHERE n.id = $2`,
    [id, s.networkId, sealedSessionText(s.title ?? 'Test session'), s.heldOn ?? '2025-06-01'],
  );
  return id;
}
