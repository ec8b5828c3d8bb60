import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { insertNetwork, insertParticipant, insertPartner } from './fixtures';
import { insertIndicatorValue } from './metrics';
import { sealed, sealedSessionText } from './sealed';
import { INITIATIVE_CIPHER } from '../../src/initiatives/initiative-text';

/**
 * A small world for learning summaries of 2016-Q3 (2016-07-01 … 2016-09-30), with a record just
 * inside and just outside every boundary, and the summary values worked out by hand (below).
 */
export interface LearningFixture {
  ids: Record<string, string>;
}

async function session(db: Pool, networkId: string, heldOn: string, kind: string, topics: string[], archived = false): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO sessions (id, network_id, country_code, text_enc, kind, held_on, topics, archived_at)
     SELECT $1, n.id, n.country_code, $7, $3, $4, $5, CASE WHEN $6 THEN now() END FROM networks n WHERE n.id = $2`,
    [id, networkId, kind, heldOn, topics, archived, sealedSessionText('Fixture session')],
  );
  return id;
}

async function dispute(db: Pool, networkId: string, partnerId: string, d: { resolvedOn?: string; status?: string; sessions?: string[]; archived?: boolean }): Promise<string> {
  const id = randomUUID();
  const resolved = d.resolvedOn !== undefined;
  await db.query(
    `INSERT INTO disputes (id, network_id, country_code, reported_by_partner_id, reported_on, category, description_enc, severity, violence_risk, status,
                           resolution_terms_enc, resolution_agreed_on, resolved_on, archived_at)
     SELECT $1, n.id, n.country_code, $3, '2016-01-15', 'land', 'enc:fixture', 'medium', 'low', $4,
            CASE WHEN $5::date IS NOT NULL THEN 'enc:terms' END, $5::date, $5::date, CASE WHEN $6 THEN now() END
       FROM networks n WHERE n.id = $2`,
    [id, networkId, partnerId, d.status ?? (resolved ? 'resolved' : 'in_mediation'), d.resolvedOn ?? null, d.archived ?? false],
  );
  for (const sessionId of d.sessions ?? []) await db.query('INSERT INTO dispute_sessions (dispute_id, session_id) VALUES ($1, $2)', [id, sessionId]);
  return id;
}

async function initiative(db: Pool, networkId: string, i: { title: string; category: string; status: string; endOn?: string | null; completedAt?: string; archived?: boolean }): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO initiatives (id, network_id, country_code, title_enc, problem_statement_enc, category, funder, budget_amount, budget_currency, status, start_on, end_on, archived_at)
     SELECT $1, n.id, n.country_code, $3, $8, $4, 'EU', 1000, 'USD', $5, '2016-01-01', $6, CASE WHEN $7 THEN now() END FROM networks n WHERE n.id = $2`,
    [id, networkId, sealed(i.title, INITIATIVE_CIPHER.title), i.category, i.status, i.endOn ?? null, i.archived ?? false, sealed('Fixture problem', INITIATIVE_CIPHER.problemStatement)],
  );
  if (i.completedAt) {
    await db.query(
      `INSERT INTO initiative_history (id, initiative_id, from_status, to_status, note_enc, actor_kind, occurred_at) VALUES ($1, $2, 'in_progress', 'completed', NULL, 'system', $3)`,
      [randomUUID(), id, i.completedAt],
    );
  }
  return id;
}

async function attend(db: Pool, sessionId: string, countryCode: string, people: number): Promise<void> {
  for (let position = 0; position < people; position++) {
    const participantId = await insertParticipant(db, { countryCode });
    await db.query(`INSERT INTO session_attendance (id, session_id, participant_id, role, position) VALUES ($1, $2, $3, 'attendee', $4)`, [randomUUID(), sessionId, participantId, position]);
  }
}

async function link(db: Pool, from: string, to: string, kind: string, since: string, archived = false): Promise<string> {
  const id = randomUUID();
  await db.query(`INSERT INTO network_links (id, from_network_id, to_network_id, kind, since, archived_at, status) VALUES ($1, $2, $3, $4, $5, CASE WHEN $6 THEN now() END, 'confirmed')`, [
    id, from, to, kind, since, archived,
  ]);
  return id;
}

export async function loadLearningFixture(db: Pool): Promise<LearningFixture> {
  const ids: Record<string, string> = {};
  ids.iqA = await insertNetwork(db, { countryCode: 'IQ', name: 'Kirkuk city' });
  ids.iqB = await insertNetwork(db, { countryCode: 'IQ', name: 'Hawija' });
  ids.npA = await insertNetwork(db, { countryCode: 'NP', name: 'Morang' });
  ids.npB = await insertNetwork(db, { countryCode: 'NP', name: 'Sunsari' });
  ids.lyA = await insertNetwork(db, { countryCode: 'LY', name: 'Sabha' });
  const partner = await insertPartner(db, { countryCode: 'IQ' });

  ids.s1 = await session(db, ids.iqA, '2016-07-10', 'dialogue', ['crime', 'land']);
  ids.s2 = await session(db, ids.iqA, '2016-08-05', 'mediation_training', ['land']);
  ids.s3 = await session(db, ids.iqB, '2016-06-20', 'dialogue', ['land', 'youth']); // before the period: still counts as linked
  ids.s4 = await session(db, ids.iqB, '2016-07-15', 'dialogue', ['crime'], true); // archived
  ids.s5 = await session(db, ids.npA, '2016-08-10', 'dialogue', ['elections']);
  await session(db, ids.npB, '2016-05-01', 'dialogue', ['land']);
  await session(db, ids.lyA, '2016-09-01', 'community_outreach', ['crime']);

  ids.d1 = await dispute(db, ids.iqA, partner, { resolvedOn: '2016-07-20', sessions: [ids.s1, ids.s2] });
  ids.d2 = await dispute(db, ids.iqB, partner, { resolvedOn: '2016-09-30', status: 'closed', sessions: [ids.s3, ids.s4] });
  await dispute(db, ids.iqA, partner, { resolvedOn: '2016-10-01', sessions: [ids.s1] }); // after the period
  await dispute(db, ids.iqA, partner, { sessions: [ids.s2] }); // not resolved
  ids.d5 = await dispute(db, ids.iqA, partner, { resolvedOn: '2016-08-01' }); // resolved, no session linked
  await dispute(db, ids.iqA, partner, { resolvedOn: '2016-08-15', sessions: [ids.s1], archived: true });

  ids.i1 = await initiative(db, ids.iqA, { title: 'Help desk at the central station', category: 'help_desk', status: 'completed', endOn: '2016-08-31' });
  ids.i2 = await initiative(db, ids.iqB, { title: 'Help desk in Hawija', category: 'help_desk', status: 'completed', completedAt: '2016-07-03T10:00:00Z' });
  await initiative(db, ids.iqA, { title: 'Completed later', category: 'training', status: 'completed', endOn: '2016-12-31' });
  await initiative(db, ids.iqA, { title: 'Still running', category: 'training', status: 'in_progress', endOn: '2016-08-01' });
  await initiative(db, ids.iqA, { title: 'Archived', category: 'training', status: 'completed', endOn: '2016-09-01', archived: true });
  ids.i6 = await initiative(db, ids.iqA, { title: 'Community policing training', category: 'training', status: 'completed', endOn: '2016-07-01' });

  // The impact figures (docs/metrics.md, "Learning summaries"): 3 people in Iraq (a small cell), 6 in Nepal.
  await attend(db, ids.s1, 'IQ', 3);
  await attend(db, ids.s5, 'NP', 6);
  // Reported crime in Kirkuk city and Hawija falls from 40 (July) to 10 (September): −75%; June is outside.
  for (const [networkId, period, value] of [[ids.iqA, '2016-06', 100], [ids.iqA, '2016-07', 40], [ids.iqA, '2016-08', 25], [ids.iqA, '2016-09', 10], [ids.iqB, '2016-07', 40], [ids.iqB, '2016-09', 10]] as const) {
    await insertIndicatorValue(db, { networkId, indicator: 'reported_crimes', period, value });
  }
  await insertIndicatorValue(db, { networkId: ids.npA, indicator: 'trust_score', period: '2016-07', value: 50 });
  await insertIndicatorValue(db, { networkId: ids.npA, indicator: 'trust_score', period: '2016-09', value: 60 }); // +20%
  await insertIndicatorValue(db, { networkId: ids.lyA, indicator: 'violent_incidents', period: '2016-08', value: 4 }); // one month: no change

  ids.L1 = await link(db, ids.iqA, ids.npA, 'peer', '2015-01-01');
  await link(db, ids.iqB, ids.npA, 'exchange', '2016-01-01'); // Hawija's only session in the period is archived
  await link(db, ids.iqA, ids.npB, 'mentoring', '2016-01-01'); // Sunsari held no session in the period
  await link(db, ids.iqA, ids.iqB, 'peer', '2015-01-01'); // same country
  await link(db, ids.npA, ids.lyA, 'peer', '2016-10-01'); // after the period
  ids.L6 = await link(db, ids.lyA, ids.iqA, 'exchange', '2016-09-30');
  await link(db, ids.npA, ids.lyA, 'exchange', '2016-01-01', true); // archived
  return { ids };
}

/** The cross-country links active in 2016-Q3, worked out by hand. */
export function expectedLinks(ids: Record<string, string>) {
  const iqA = { networkId: ids.iqA, name: 'Kirkuk city', countryCode: 'IQ', sessions: 2 };
  return {
    L1: { linkId: ids.L1, kind: 'peer', since: '2015-01-01', from: iqA, to: { networkId: ids.npA, name: 'Morang', countryCode: 'NP', sessions: 1 } },
    L6: { linkId: ids.L6, kind: 'exchange', since: '2016-09-30', from: { networkId: ids.lyA, name: 'Sabha', countryCode: 'LY', sessions: 1 }, to: iqA },
  };
}

/** Iraq's summary of 2016-Q3 without provenance.computedAt, worked out by hand. */
export function expectedIraq(ids: Record<string, string>) {
  const links = expectedLinks(ids);
  return {
    resolvedDisputes: {
      total: 3, // d1, d2 (closed after resolving), d5; not the later, unresolved or archived ones
      withLinkedSessions: 2, // d1, d2
      topics: [
        { value: 'land', resolvedDisputes: 2, sessions: 3, shareOfLinkedResolved: 1 },
        { value: 'crime', resolvedDisputes: 1, sessions: 1, shareOfLinkedResolved: 0.5 }, // s4 (crime) is archived
        { value: 'youth', resolvedDisputes: 1, sessions: 1, shareOfLinkedResolved: 0.5 },
      ],
      sessionKinds: [
        { value: 'dialogue', resolvedDisputes: 2, sessions: 2, shareOfLinkedResolved: 1 },
        { value: 'mediation_training', resolvedDisputes: 1, sessions: 1, shareOfLinkedResolved: 0.5 },
      ],
    },
    initiativesCompleted: {
      total: 3,
      byCategory: { help_desk: 2, training: 1 },
      items: [
        { id: ids.i6, category: 'training', networkId: ids.iqA, completedOn: '2016-07-01' },
        { id: ids.i2, category: 'help_desk', networkId: ids.iqB, completedOn: '2016-07-03' },
        { id: ids.i1, category: 'help_desk', networkId: ids.iqA, completedOn: '2016-08-31' },
      ],
    },
    crossCountryLinks: [links.L1, links.L6],
    sourceRows: { sessionsInPeriod: 2, resolvedDisputes: 3, disputeSessionLinks: 3, linkedSessions: 3, completedInitiatives: 3, crossCountryLinks: 2 },
  };
}

/** The strongest indicator changes of 2016-Q3 across the countries, worked out by hand (k = 1 month at each end). */
export const expectedStrongestChanges = [
  { countryCode: 'IQ', indicator: 'reported_crimes', months: 3, baseline: 40, latest: 10, percentChange: -75 },
  { countryCode: 'NP', indicator: 'trust_score', months: 2, baseline: 50, latest: 60, percentChange: 20 },
];
